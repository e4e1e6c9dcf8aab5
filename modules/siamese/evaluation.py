"""Siamese: pair accuracy with the corrected rule (distance < 0.5), via same_probability."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.siamese import features


def eval_config(min_accuracy: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="same_probability",
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("BinaryAccuracy", min_accuracy, max_regression=max_regression)],
    )
