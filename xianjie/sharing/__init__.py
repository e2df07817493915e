"""第十一条 information sharing (tier 1 and 2 shared items) and 第十二条 results sharing
(warning-education typical cases, study records, 以案促改)."""
