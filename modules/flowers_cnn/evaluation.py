"""Blessed on eval-split accuracy, like every image classifier (see modules.common.images)."""

from modules.common.images import eval_config

__all__ = ["eval_config"]
