"""Feature names for the char-RNN: one 101-character chunk in, 100 input and 100 target ids out."""

from data.char_sequences import SEQUENCE_LENGTH, TEXT_KEY
from modules.common.features import transformed_name

# The Transform vocabulary of characters, as Unicode code points (its file is `chars`);
# ids past its end are OOV.
VOCABULARY_NAME = "chars"
# The notes' StringLookup has one [UNK] id for characters outside the vocabulary.
OOV_BUCKETS = 1
INPUT_IDS_KEY = transformed_name("input_ids")
TARGET_IDS_KEY = transformed_name("target_ids")
SERVING_FEATURE_KEYS = (TEXT_KEY,)
