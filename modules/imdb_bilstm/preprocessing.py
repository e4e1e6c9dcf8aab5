"""Transform: the review's words as ids from a vocabulary Transform builds (see modules.common.sentiment)."""

from modules.common.sentiment import preprocessing_fn

__all__ = ["preprocessing_fn"]
