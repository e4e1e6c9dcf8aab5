"""The save/load tutorial's MNIST MLP (notes L3739-3914)."""
