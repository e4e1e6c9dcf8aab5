"""Blessed on eval-split accuracy, like every image classifier (see modules.common.image_classifiers)."""

import tensorflow_model_analysis as tfma

from modules.common import image_classifiers
from modules.flowers_cnn import MODEL


def eval_config(threshold: float, max_regression: float) -> tfma.EvalConfig:
    return image_classifiers.eval_config(MODEL, threshold, max_regression)
