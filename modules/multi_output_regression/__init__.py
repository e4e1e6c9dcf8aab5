"""Two-head regression (Coursera custom models, notes L8597-8620) on energy efficiency data."""
