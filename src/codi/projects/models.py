"""Models of community projects (pms)."""
