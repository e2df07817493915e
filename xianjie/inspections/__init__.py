"""Joint rule-of-law inspections (第八条), their findings and rectification (第九条), and the
supervision notices and decisions of the enforcement supervisors (第十三条（十）)."""
