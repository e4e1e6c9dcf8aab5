"""Penguin: accuracy overall and per island and sex."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import make_eval_config
from modules.penguin import MODEL, features


def eval_config(threshold: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        MODEL,
        threshold,
        max_regression,
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=features.SLICE_FEATURE_KEYS,
    )
