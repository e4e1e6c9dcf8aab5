"""Builds and runs the project's TFX pipelines.

`modules` is imported first on purpose: it selects Keras 2 before TensorFlow loads.
"""

import modules  # noqa: F401  (side effect: TF_USE_LEGACY_KERAS=1)
