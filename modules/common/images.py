"""Transform and names shared by the models that read `data.images` records."""

from typing import Dict

import tensorflow as tf

from data.images import IMAGE_KEY, LABEL_KEY
from modules.common.features import transformed_name

TRANSFORMED_IMAGE_KEY = transformed_name(IMAGE_KEY)
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
NUM_CLASSES = 10
# Served class names are the label ids: the digits and Fashion-MNIST sources share them.
CLASS_NAMES = tuple(str(label).encode() for label in range(NUM_CLASSES))


def pixels_preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """Pixels 0-255 to floats in [0, 1] (the notes divide by 255), the label as is."""
    return {
        TRANSFORMED_IMAGE_KEY: tf.cast(inputs[IMAGE_KEY], tf.float32) / 255.0,
        TRANSFORMED_LABEL_KEY: inputs[LABEL_KEY],
    }


def eval_config(min_accuracy: float, max_regression: float):
    """Image classifiers are blessed on eval-split accuracy."""
    from modules.common.evaluation import GatedMetric, make_eval_config

    return make_eval_config(
        label_key=TRANSFORMED_LABEL_KEY,
        prediction_key="scores",
        slice_feature_keys=(),
        gated_metrics=[GatedMetric("SparseCategoricalAccuracy", min_accuracy, max_regression=max_regression)],
    )
