"""Feature names and encoding choices for the penguin model."""

from modules.common.features import transformed_name

NUMERIC_FEATURE_KEYS = (
    "culmen_length_mm",
    "culmen_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
)
CATEGORICAL_FEATURE_KEYS = ("island", "sex")
LABEL_KEY = "species"
# Slices the evaluation reports besides the overall one.
SLICE_FEATURE_KEYS = ("island", "sex")

# A missing category gets its own vocabulary entry; unseen ones share one OOV bucket.
MISSING_CATEGORY = "<missing>"
NUM_OOV_BUCKETS = 1

TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
SERVING_FEATURE_KEYS = NUMERIC_FEATURE_KEYS + CATEGORICAL_FEATURE_KEYS
