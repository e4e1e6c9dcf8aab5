"""Transform: pixels back to [0, 1] (the notes divide by 255), the class as is."""

from typing import Dict

import tensorflow as tf

from modules.mnist_mlp import features

# TFX's MNIST records store pixels/255 - 0.5.
PIXEL_OFFSET = 0.5


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    return {
        features.TRANSFORMED_IMAGE_KEY: inputs[features.IMAGE_KEY] + PIXEL_OFFSET,
        features.TRANSFORMED_LABEL_KEY: inputs[features.LABEL_KEY],
    }
