"""Two-way referral of leads and enforcement faults (第三条 to 第七条)."""
