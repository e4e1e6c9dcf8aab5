"""Transform: the coordinates unscaled (as the notes train on them) and the 0/1 label."""

from typing import Dict

import tensorflow as tf

from modules.common.features import transformed_name
from modules.common.transforms import densify
from modules.planar_flower import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    outputs = {
        transformed_name(key): tf.cast(densify(inputs[key], 0.0), tf.float32) for key in features.FEATURE_KEYS
    }
    outputs[features.TRANSFORMED_LABEL_KEY] = tf.cast(densify(inputs[features.LABEL_KEY], 0), tf.int64)
    return outputs
