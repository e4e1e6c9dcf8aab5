"""The TF tutorial's CIFAR-10 CNN (notes L3392-3487)."""
