"""Models of data governance."""
