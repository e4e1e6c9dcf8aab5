"""The notes' stacked bidirectional LSTMs (M12, notes L5790-5826) as a TFX pipeline."""

from modules.common.review_models import review_classifier

MODEL = review_classifier(
    "binary sentiment of a review: Embedding -> BiLSTM 64 (sequences) -> BiLSTM 32 -> Dense 64 -> Dropout 0.5 -> logit"
)
