"""Transform: target and context words to ids of one shared vocabulary (file `words`).

The notes' TextVectorization gives target and context ids from one vocabulary; here one
`tft.vocabulary` over every target and context word of the train split plays that part,
so the serving signatures take words and the `neighbours` signature maps them to rows of
the embedding. A word outside it gets the one OOV id, `vocabulary size`.
"""

from typing import Dict

import tensorflow as tf
import tensorflow_transform as tft

from modules.word2vec import features


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """`target_xf` int64 [batch, 1], `context_xf` int64 [batch, 5], `label_xf` int64 [batch, 1]."""
    target = tf.reshape(inputs[features.TARGET_KEY], [-1, 1])
    context = tf.reshape(inputs[features.CONTEXT_KEY], [-1, features.CONTEXTS])
    vocabulary = tft.vocabulary(
        tf.concat([target, context], axis=1),
        top_k=features.VOCABULARY_TOP_K,
        vocab_filename=features.WORDS_VOCABULARY,
    )

    def ids(words: tf.Tensor) -> tf.Tensor:
        return tft.apply_vocabulary(words, vocabulary, num_oov_buckets=features.NUM_OOV_BUCKETS)

    return {
        features.TRANSFORMED_TARGET_KEY: ids(target),
        features.TRANSFORMED_CONTEXT_KEY: ids(context),
        features.TRANSFORMED_LABEL_KEY: tf.reshape(tf.cast(inputs[features.LABEL_KEY], tf.int64), [-1, 1]),
    }
