"""Models of pki and e-signatures."""
