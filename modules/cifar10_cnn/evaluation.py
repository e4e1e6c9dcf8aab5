"""Blessed on eval-split accuracy, like every image classifier (see modules.common.image_classifiers)."""

import tensorflow_model_analysis as tfma

from modules.cifar10_cnn import MODEL
from modules.common import image_classifiers


def eval_config(threshold: float, max_regression: float) -> tfma.EvalConfig:
    return image_classifiers.eval_config(MODEL, threshold, max_regression)
