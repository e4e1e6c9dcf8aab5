"""Taxi: accuracy and AUC, overall and per trip_start_hour; blessed on accuracy."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.taxi import features


def eval_config(min_accuracy: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=features.SLICE_FEATURE_KEYS,
        gated_metrics=[GatedMetric("BinaryAccuracy", min_accuracy, max_regression=max_regression)],
        reported_metrics=("ExampleCount", "AUC"),
    )
