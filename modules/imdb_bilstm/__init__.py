"""The notes' text classifier with a bidirectional LSTM (M11, notes L5689-5788) as a TFX pipeline."""

from modules.common.review_models import review_classifier

MODEL = review_classifier("binary sentiment of a review: Embedding -> Bidirectional(LSTM 64) -> Dense 64 -> logit")
