"""Huber regression is blessed on mean absolute error over the (outlier-laden) eval split."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.huber_regression import features


def eval_config(max_mae: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="predictions",
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("MeanAbsoluteError", max_mae, higher_is_better=False, max_regression=max_regression)],
        reported_metrics=("ExampleCount", "RootMeanSquaredError"),
    )
