"""Models of electronic correspondence (saraban)."""
