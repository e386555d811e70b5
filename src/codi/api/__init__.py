"""The HTTP API (django-ninja) under /api/v1; domain code never imports this package."""
