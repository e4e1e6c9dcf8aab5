"""Custom TFX components and executors used by the project's pipelines."""
