"""Transform: x and y passed through unscaled, as in the notes' hello-world model."""

from typing import Dict

import tensorflow as tf

from modules.common.transforms import densify
from modules.huber_regression import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    return {
        features.TRANSFORMED_FEATURE_KEY: tf.cast(densify(inputs[features.FEATURE_KEY], 0.0), tf.float32),
        features.TRANSFORMED_LABEL_KEY: tf.cast(densify(inputs[features.LABEL_KEY], 0.0), tf.float32),
    }
