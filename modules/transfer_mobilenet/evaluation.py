"""Cats vs dogs: blessed on eval-split accuracy of the sigmoid score."""

import tensorflow_model_analysis as tfma

from modules.common import images
from modules.common.evaluation import GatedMetric, make_eval_config


def eval_config(min_accuracy: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=images.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("BinaryAccuracy", min_accuracy, max_regression=max_regression)],
        reported_metrics=("ExampleCount", "AUC"),
    )
