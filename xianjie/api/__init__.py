"""Floor 5: the NinjaAPI at /api/v1, token auth and error mapping. Routers live in each app."""
