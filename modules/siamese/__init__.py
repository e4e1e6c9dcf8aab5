"""The siamese network with contrastive loss (Coursera custom models, notes L8622-8714)."""
