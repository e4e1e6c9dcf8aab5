"""Palmer penguins species classifier: the notes' penguin DNN on Transform's features."""
