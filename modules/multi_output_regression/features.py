"""Feature and output names for the two-head energy model."""

from data.energy import FEATURE_COLUMNS, TARGET_COLUMNS
from modules.common.features import transformed_name

FEATURE_KEYS = FEATURE_COLUMNS
HEATING_KEY, COOLING_KEY = TARGET_COLUMNS
# Keras output name -> transformed label key (and the name of the serving output).
OUTPUT_LABELS = {
    "y1_output": transformed_name(HEATING_KEY),
    "y2_output": transformed_name(COOLING_KEY),
}
