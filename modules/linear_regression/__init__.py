"""D2L concise linear regression (notes L3-139) as a TFX pipeline."""
