"""Writes of the access app: access requests and their grants (第十一条 严格审批共享)."""
