"""Transform: a chunk's characters -> ids in a vocabulary Transform builds -> (input, target).

The notes build `StringLookup(vocabulary=sorted(set(text)))` with an [UNK] id (L5859);
here `tft.compute_and_apply_vocabulary` computes the vocabulary over the training split
with one OOV bucket (the [UNK] id, = vocabulary size). Its tokens are the characters'
Unicode code points, not the characters: TFT's text vocabulary file drops any token
holding a newline, and "\\n" is one of the 65 characters the model must write (its
`tfrecord_gzip` file keeps it, but a model exported with that file's table cannot be
saved: "Attempting to capture an EagerTensor"). The notes' `split_input_target`
(L5885-5892, body re-indented: catalogue bug 79) becomes input = ids[:-1], target = ids[1:].
"""

from typing import Dict

import tensorflow as tf
import tensorflow_transform as tft

from modules.shakespeare_char_gru import features

CHUNK_LENGTH = features.SEQUENCE_LENGTH + 1
# Pads a text shorter than a chunk; no character has it, so it maps to the OOV id.
NO_CODE_POINT = -1


def code_points(text: tf.Tensor, length: int) -> tf.Tensor:
    """UTF-8 strings [batch] or [batch, 1] -> Unicode code points [batch, length] (int64),
    padded with NO_CODE_POINT or cut to `length`."""
    decoded = tf.strings.unicode_decode(tf.reshape(text, [-1]), "UTF-8")
    return tf.cast(decoded, tf.int64).to_tensor(default_value=NO_CODE_POINT, shape=[None, length])


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    ids = tft.compute_and_apply_vocabulary(
        code_points(inputs[features.TEXT_KEY], CHUNK_LENGTH),
        num_oov_buckets=features.OOV_BUCKETS,
        vocab_filename=features.VOCABULARY_NAME,
    )
    return {features.INPUT_IDS_KEY: ids[:, :-1], features.TARGET_IDS_KEY: ids[:, 1:]}
