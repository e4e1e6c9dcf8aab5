"""The TF Serving tutorial's Fashion-MNIST CNN (notes L7677-7810)."""
