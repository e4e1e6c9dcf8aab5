"""Cats vs dogs: accuracy and AUC of the sigmoid score on the eval split."""

import tensorflow_model_analysis as tfma

from modules.common import image_classifiers
from modules.common.evaluation import make_eval_config
from modules.transfer_mobilenet import MODEL


def eval_config(threshold: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        MODEL,
        threshold,
        max_regression,
        label_key=image_classifiers.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
    )
