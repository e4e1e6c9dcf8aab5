"""Transform: both images' pixels to [0, 1]; the pair label as a float (the notes cast y to float32)."""

from typing import Dict

import tensorflow as tf

from data.fashion_mnist_pairs import PAIR_LABEL_KEY
from modules.common.features import transformed_name
from modules.siamese import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    outputs = {transformed_name(key): tf.cast(inputs[key], tf.float32) / 255.0 for key in features.IMAGE_KEYS}
    outputs[features.TRANSFORMED_LABEL_KEY] = tf.cast(inputs[PAIR_LABEL_KEY], tf.float32)
    return outputs
