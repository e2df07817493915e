"""Secrecy tiers (第十一条) and the one place visibility is decided.

See `restrict.py`: `restrict(user, action)` and `get_object_for_user`.
"""
