"""Transform: pixels scaled to [0, 1] (see modules.common.image_classifiers)."""

from modules.common.image_classifiers import pixels_preprocessing_fn as preprocessing_fn

__all__ = ["preprocessing_fn"]
