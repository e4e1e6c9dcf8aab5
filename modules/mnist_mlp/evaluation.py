"""MNIST MLP: accuracy on the eval split, through `serving_examples` (`serving_default` takes images)."""

import tensorflow_model_analysis as tfma

from modules.common.evaluation import make_eval_config
from modules.common.export import SERVING_EXAMPLES
from modules.mnist_mlp import MODEL, features


def eval_config(threshold: float, max_regression: float) -> tfma.EvalConfig:
    return make_eval_config(
        MODEL,
        threshold,
        max_regression,
        label_key=features.TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        signature_name=SERVING_EXAMPLES,
    )
