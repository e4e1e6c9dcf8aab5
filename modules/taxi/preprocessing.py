"""The notes' Transform, corrected (catalogue bugs 112-115), plus the model's other inputs.

As the notes intend: every dense float feature is z-scored after filling in missing
values (`_fill_in_missing`: 0 for numbers, "" for strings), and the label is 1 when the
tip exceeds 20% of the fare, 0 when the fare is NaN. For the label a missing fare is read
as NaN: upstream fills it with 0 first, so its NaN branch never fires and a trip without
a fare counts as a big tipper whenever it has any tip.
"""

from typing import Dict

import tensorflow as tf
import tensorflow_transform as tft

from modules.common.features import transformed_name
from modules.common.transforms import densify
from modules.taxi import features


def fill_in_missing(x) -> tf.Tensor:
    """TFX taxi's `_fill_in_missing`: a dense [batch, 1] tensor with 0 or "" where missing."""
    return densify(x, "" if x.dtype == tf.string else tf.constant(0, x.dtype))


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    outputs = {}
    for key in features.DENSE_FLOAT_FEATURE_KEYS:
        outputs[transformed_name(key)] = tft.scale_to_z_score(tf.cast(fill_in_missing(inputs[key]), tf.float32))
    for key in features.TIME_FEATURE_SIZES:
        outputs[transformed_name(key)] = tf.cast(fill_in_missing(inputs[key]), tf.int64)
    for key in features.VOCAB_FEATURE_KEYS:
        outputs[transformed_name(key)] = tft.compute_and_apply_vocabulary(
            fill_in_missing(inputs[key]), num_oov_buckets=features.NUM_OOV_BUCKETS, vocab_filename=key
        )
    taxi_fare = tf.cast(densify(inputs[features.FARE_KEY], float("nan")), tf.float32)
    tips = tf.cast(fill_in_missing(inputs[features.TIPS_KEY]), tf.float32)
    outputs[features.TRANSFORMED_LABEL_KEY] = tf.where(
        tf.math.is_nan(taxi_fare),
        tf.zeros_like(taxi_fare, dtype=tf.int64),
        tf.cast(tf.greater(tips, tf.multiply(taxi_fare, features.TIP_FRACTION)), tf.int64),
    )
    return outputs
