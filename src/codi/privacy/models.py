"""Models of pdpa."""
