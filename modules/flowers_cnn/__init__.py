"""The TF tutorial's flowers CNN with augmentation, rescaling and dropout (notes L3488-3737)."""
