"""Feature names for the word2vec model: a target word, five candidate contexts, and which
candidate is the true one (see data/skipgrams.py)."""

from data.skipgrams import CONTEXT_KEY, CONTEXTS_PER_EXAMPLE, LABEL_KEY, TARGET_KEY, VOCAB_SIZE
from modules.common.features import transformed_name

WORD_KEYS = (TARGET_KEY, CONTEXT_KEY)
SERVING_FEATURE_KEYS = WORD_KEYS
TRANSFORMED_TARGET_KEY = transformed_name(TARGET_KEY)
TRANSFORMED_CONTEXT_KEY = transformed_name(CONTEXT_KEY)
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
CONTEXTS = CONTEXTS_PER_EXAMPLE
# One vocabulary for target and context words, the file the `neighbours` signature reads.
WORDS_VOCABULARY = "words"
# The data already caps the words at the notes' 4096 ids (padding and [UNK] among them).
VOCABULARY_TOP_K = VOCAB_SIZE
NUM_OOV_BUCKETS = 1
CHANCE_ACCURACY = 1.0 / CONTEXTS
