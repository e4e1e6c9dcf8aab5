"""Transform's `preprocessing_fn` for the penguin model."""

from typing import Dict

import tensorflow as tf
import tensorflow_transform as tft

from modules.common.features import transformed_name
from modules.common.transforms import fill_missing_strings, impute_and_z_score
from modules.penguin import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """Imputes and z-scores the measurements, and maps island, sex and species to ids.

    Every output has shape [batch, 1]. The species vocabulary (file `species`) is also
    what turns class ids back into names at serving time.
    """
    outputs = {}
    for key in features.NUMERIC_FEATURE_KEYS:
        outputs[transformed_name(key)] = impute_and_z_score(inputs[key])
    for key in features.CATEGORICAL_FEATURE_KEYS:
        outputs[transformed_name(key)] = tft.compute_and_apply_vocabulary(
            fill_missing_strings(inputs[key], features.MISSING_CATEGORY),
            num_oov_buckets=features.NUM_OOV_BUCKETS,
            vocab_filename=key,
        )
    outputs[features.TRANSFORMED_LABEL_KEY] = tft.compute_and_apply_vocabulary(
        fill_missing_strings(inputs[features.LABEL_KEY], ""),
        vocab_filename=features.LABEL_KEY,
    )
    return outputs
