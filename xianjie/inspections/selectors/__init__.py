"""Reads of the inspection app, one module per sub-topic; every read starts from `restrict`."""
