"""The tamper-evident audit trail (an SM3 hash chain) and the login log."""
