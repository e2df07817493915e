"""Organisations, people and roles (第二条), login security and the 三员 separation of duties."""
