"""Both heads are evaluated and gated: the declared metrics per output."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import make_eval_config
from modules.multi_output_regression import MODEL, features


def eval_config(threshold: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        MODEL,
        threshold,
        max_regression,
        label_key=features.OUTPUT_LABELS,
        prediction_key={name: name for name in features.OUTPUT_LABELS},
    )
