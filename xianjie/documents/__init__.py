"""Official documents: 文号 allocation now; the GB/T 9704-2012 engine builds on it."""
