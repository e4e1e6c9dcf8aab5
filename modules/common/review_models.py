"""The declaration both review-sentiment models share (M11, M12): data, gate, slices, steps.

Free of TensorFlow, like every declaration (see model_spec.py); the models' shared code is
in `modules.common.sentiment`.
"""

from data import reviews
from modules.common.features import transformed_name
from modules.common.model_spec import Metric, ModelSpec

LABEL_KEY, TEXT_KEY = reviews.COLUMNS
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
# The Evaluator's slice: the review's length in words, in buckets named like "12-17 words".
LENGTH_SLICE_KEY = transformed_name("review_length")
# The tutorial's 10 epochs, over the Rotten Tomatoes default's 9,606 training reviews at
# batch 64. Its held-out loss is lowest after 3 epochs, yet accuracy keeps rising to about
# the tenth; 25 epochs (IMDB's 3,910 steps) overfit, with lower accuracy.
FULL_TRAIN_STEPS = 1500
# What keeps these models out of TFLite, seen when converting them.
MASKED_LSTM_TFLITE_GAP = (
    "a masked LSTM (Embedding mask_zero=True) runs as a while loop over TensorLists, which the converter "
    "cannot lower to TFLite builtins (ConverterError: Lowering tensor list ops is failed); it would need "
    "Select TF ops (Flex), which a TFLite runtime without the Flex delegate cannot run"
)


def review_classifier(task: str) -> ModelSpec:
    """A sentiment model's declaration: raw review text in, P(positive) out."""
    return ModelSpec(
        task=task,
        notes_result="none quoted (the TF tutorial reaches about 0.85 test accuracy on IMDB)",
        data_sources={
            "rotten_tomatoes": reviews.rotten_tomatoes,
            "imdb_sample": reviews.imdb_sample,
            "download": reviews.imdb_downloaded,
        },
        gated_metric=Metric("BinaryAccuracy"),
        reported_metrics=(Metric("AUC"),),
        label_key=TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=(LENGTH_SLICE_KEY,),
        default_threshold=0.6,
        train_steps=300,
        eval_steps=20,
        full_train_steps=FULL_TRAIN_STEPS,
        tflite_unsupported=MASKED_LSTM_TFLITE_GAP,
    )
