"""Transform: z-scored features, the label passed through."""

from typing import Dict

import tensorflow as tf

from modules.common.features import transformed_name
from modules.common.transforms import densify, impute_and_z_score
from modules.linear_regression import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    outputs = {transformed_name(key): impute_and_z_score(inputs[key]) for key in features.FEATURE_KEYS}
    outputs[features.TRANSFORMED_LABEL_KEY] = tf.cast(densify(inputs[features.LABEL_KEY], 0.0), tf.float32)
    return outputs
