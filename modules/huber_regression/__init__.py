"""Custom Huber loss (notes L8716-8734) on the TF Serving hello-world line, with outliers."""
