"""MNIST MLP: blessed on eval-split accuracy."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import GatedMetric, make_eval_config
from modules.common.export import SERVING_EXAMPLES
from modules.mnist_mlp import features


def eval_config(min_accuracy: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("SparseCategoricalAccuracy", min_accuracy, max_regression=max_regression)],
        signature_name=SERVING_EXAMPLES,  # serving_default takes images
    )
