"""Transform: encoded JPEGs and labels passed through (see modules.common.image_classifiers)."""

from modules.common.image_classifiers import jpeg_passthrough_preprocessing_fn as preprocessing_fn

__all__ = ["preprocessing_fn"]
