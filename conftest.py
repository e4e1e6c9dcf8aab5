"""Imported by pytest before any test: selects Keras 2 before TensorFlow loads."""

import modules  # noqa: F401  (side effect: TF_USE_LEGACY_KERAS=1)
