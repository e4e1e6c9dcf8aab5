"""Feature names for the planar flower classifier."""

from modules.common.features import transformed_name

FEATURE_KEYS = ("x1", "x2")
LABEL_KEY = "label"
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
