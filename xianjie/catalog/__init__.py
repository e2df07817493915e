"""The violation catalogue: 第十三条 (A01–A11), 第十四条 (P01–P10), 第六条 (E01–E03, E99)."""
