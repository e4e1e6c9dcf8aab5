"""Both heads are evaluated and gated: RMSE per output below the bound, no regression."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.multi_output_regression import features


def eval_config(max_rmse: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=features.OUTPUT_LABELS,
        prediction_key={name: name for name in features.OUTPUT_LABELS},
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("RootMeanSquaredError", max_rmse, higher_is_better=False, max_regression=max_regression)],
        reported_metrics=("ExampleCount", "MeanAbsoluteError"),
    )
