"""What every model package shares: transforms, input functions, training, export."""
