"""D2L softmax regression (notes L141-455) as a TFX pipeline."""
