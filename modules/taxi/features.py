"""Feature names and encodings for the taxi model (those of TFX's taxi example)."""

from modules.common.features import transformed_name

# The notes' _DENSE_FLOAT_FEATURE_KEYS: z-scored after _fill_in_missing.
DENSE_FLOAT_FEATURE_KEYS = ("trip_miles", "fare", "trip_seconds")
# Integer features with a known range: one-hot encoded by the model, size = max + 1.
TIME_FEATURE_SIZES = {"trip_start_hour": 24, "trip_start_day": 8, "trip_start_month": 13}
VOCAB_FEATURE_KEYS = ("payment_type", "company")
NUM_OOV_BUCKETS = 1
FARE_KEY = "fare"
TIPS_KEY = "tips"
# The label: did the tip exceed 20% of the fare?
LABEL_KEY = "tips"
TIP_FRACTION = 0.2
TRANSFORMED_LABEL_KEY = transformed_name("big_tipper")
SLICE_FEATURE_KEYS = ("trip_start_hour",)
SERVING_FEATURE_KEYS = DENSE_FLOAT_FEATURE_KEYS + tuple(TIME_FEATURE_SIZES) + VOCAB_FEATURE_KEYS
