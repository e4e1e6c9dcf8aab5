"""Linear regression is blessed on RMSE (the generator's noise is 0.01)."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.linear_regression import features


def eval_config(max_rmse: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="predictions",
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("RootMeanSquaredError", max_rmse, higher_is_better=False, max_regression=max_regression)],
        reported_metrics=("ExampleCount", "MeanAbsoluteError"),
    )
