"""Makes or fetches datasets and writes them as ExampleGen input directories.

Nothing here imports TensorFlow: preparing data must stay cheap, because it runs
before every pipeline run to decide whether ExampleGen's input changed.
"""
