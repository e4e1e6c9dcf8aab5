"""Transform: pixels scaled to [0, 1] (see modules.common.images)."""

from modules.common.images import pixels_preprocessing_fn as preprocessing_fn

__all__ = ["preprocessing_fn"]
