"""The shallow planar classifier (Coursera DL1 week 3, notes L1734-1877)."""
