"""Writes of the inspection app, one module per sub-topic; each function is one transaction."""
