"""How the penguin model is evaluated and what it takes to bless it."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.penguin import features

GATING_METRIC = "SparseCategoricalAccuracy"


def eval_config(min_accuracy: float, max_regression: float) -> tfma.EvalConfig:
    """Accuracy overall and per island and sex; blessed at `min_accuracy` and no regression
    beyond `max_regression` against the last blessed model."""
    return make_eval_config(
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=features.SLICE_FEATURE_KEYS,
        gated_metrics=[GatedMetric(GATING_METRIC, min_accuracy, max_regression=max_regression)],
    )
