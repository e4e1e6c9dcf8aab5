"""Transform: features z-scored with the training statistics (the notes' norm_train_X);
the two loads passed through."""

from typing import Dict

import tensorflow as tf

from modules.common.features import transformed_name
from modules.common.transforms import densify, impute_and_z_score
from modules.multi_output_regression import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    outputs = {transformed_name(key): impute_and_z_score(inputs[key]) for key in features.FEATURE_KEYS}
    for key in (features.HEATING_KEY, features.COOLING_KEY):
        outputs[transformed_name(key)] = tf.cast(densify(inputs[key], 0.0), tf.float32)
    return outputs
