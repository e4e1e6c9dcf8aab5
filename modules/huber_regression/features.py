"""Feature names for the Huber regression model."""

from modules.common.features import transformed_name

FEATURE_KEY = "x"
LABEL_KEY = "y"
TRANSFORMED_FEATURE_KEY = transformed_name(FEATURE_KEY)
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
