"""Feature names for the linear regression model."""

from modules.common.features import transformed_name

FEATURE_KEYS = ("x1", "x2")
LABEL_KEY = "y"
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
