"""Transform: encoded JPEGs and labels passed through (see modules.common.images)."""

from modules.common.images import jpeg_passthrough_preprocessing_fn as preprocessing_fn

__all__ = ["preprocessing_fn"]
