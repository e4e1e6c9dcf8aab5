"""What the two review-sentiment models (notes M11 and M12) share: the Transform that owns
the vocabulary, the Keras input, the training setup and the report.

The notes put a `TextVectorization(max_tokens=10000)` layer inside the model and adapt it
on the training text. Here Transform builds that vocabulary (`tft.compute_and_apply_vocabulary`)
from the same standardisation (lowercase, punctuation stripped, split on whitespace), so
training, evaluation and every serving signature map words to ids with one vocabulary
file: a client sends raw text (`serving_raw` takes `text`) and gets a probability.
Token ids are shifted by one so that 0 is padding, which `Embedding(mask_zero=True)` masks;
a review is cut or padded to SEQUENCE_LENGTH tokens, because Transform's outputs have a
fixed shape where the notes pad each batch to its longest review.
"""

from typing import Dict, List

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft

from modules.common import export, trainer
from modules.common.features import transformed_name
from modules.common.review_models import LABEL_KEY, LENGTH_SLICE_KEY, TEXT_KEY, TRANSFORMED_LABEL_KEY
from modules.common.transforms import fill_missing_strings

TOKENS_KEY = transformed_name("tokens")
# The length slice's buckets, at the quartiles of the data's review lengths.
LENGTH_BUCKETS = 4
VOCABULARY_NAME = "words"
# The notes' TextVectorization(max_tokens=10000) counts padding and [UNK] among its tokens.
VOCAB_SIZE = 10000
PADDING_ID = 0
OOV_BUCKETS = 1
SEQUENCE_LENGTH = 64
# TextVectorization's default standardisation, "lower_and_strip_punctuation".
PUNCTUATION = r'[!"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~\']'
EMBEDDING_DIM = 64
LEARNING_RATE = 1e-4
BATCH_SIZE = 64
# The notes' sample reviews (L5753-5756, L5815-5818) and padding check (L5760).
POSITIVE_SAMPLE = (
    "The movie was cool. The animation and the graphics were out of this world. I would recommend this movie."
)
NEGATIVE_SAMPLE = (
    "The movie was not good. The animation and the graphics were terrible. I would not recommend this movie."
)
PADDING_SAMPLE = "the " * 2000


def standardized_tokens(text: tf.Tensor) -> tf.RaggedTensor:
    """[batch] strings -> the words of each, as TextVectorization's default splits them."""
    standardized = tf.strings.regex_replace(tf.strings.lower(text), PUNCTUATION, "")
    return tf.strings.split(standardized)


def fixed_length(ids: tf.RaggedTensor, length: int) -> tf.Tensor:
    """[batch, length] ids: each row cut to `length` or padded with PADDING_ID."""
    dense = ids.to_tensor(default_value=PADDING_ID)[:, :length]
    padded = tf.pad(dense, [[0, 0], [0, length - tf.shape(dense)[1]]], constant_values=PADDING_ID)
    return tf.reshape(padded, [-1, length])


def length_bucket_names(lengths: tf.Tensor) -> tf.Tensor:
    """[batch, 1] word counts -> their quartile bucket's name, e.g. "12-17 words"."""
    boundaries = tf.math.ceil(tft.quantiles(tf.cast(lengths, tf.float32), LENGTH_BUCKETS, epsilon=0.01))
    buckets = tft.apply_buckets(tf.cast(lengths, tf.float32), boundaries)
    edges = tf.strings.as_string(tf.cast(tf.reshape(boundaries, [-1]), tf.int64))
    last = tf.strings.as_string(tf.cast(tf.reshape(boundaries, [-1]), tf.int64) - 1)
    names = tf.concat(
        [
            ["under " + edges[0] + " words"],
            edges[:-1] + "-" + last[1:] + " words",
            [edges[-1] + "+ words"],
        ],
        axis=0,
    )
    return tf.gather(names, buckets)


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """Raw `text` -> `tokens_xf` (SEQUENCE_LENGTH word ids, 0 = padding), the length slice,
    and the 0/1 label."""
    text = tf.reshape(fill_missing_strings(inputs[TEXT_KEY], ""), [-1])
    words = standardized_tokens(text)
    ids = tft.compute_and_apply_vocabulary(
        words,
        top_k=VOCAB_SIZE - 1 - OOV_BUCKETS,
        num_oov_buckets=OOV_BUCKETS,
        vocab_filename=VOCABULARY_NAME,
    )
    lengths = tf.reshape(words.row_lengths(), [-1, 1])
    return {
        TOKENS_KEY: fixed_length(ids + 1, SEQUENCE_LENGTH),
        LENGTH_SLICE_KEY: length_bucket_names(lengths),
        TRANSFORMED_LABEL_KEY: tf.reshape(tf.cast(inputs[LABEL_KEY], tf.int64), [-1, 1]),
    }


def embedded_tokens() -> tuple[tf.keras.Input, tf.Tensor]:
    """The model's input (`tokens_xf`) and the notes' Embedding(10000, 64, mask_zero=True) of it."""
    tokens = tf.keras.layers.Input(shape=(SEQUENCE_LENGTH,), dtype=tf.int64, name=TOKENS_KEY)
    return tokens, tf.keras.layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM, mask_zero=True)(tokens)


def compiled(tokens: tf.keras.Input, logit: tf.Tensor) -> tf.keras.Model:
    """The notes' compile: binary cross-entropy on the logit, Adam(1e-4), accuracy."""
    model = tf.keras.Model(inputs={TOKENS_KEY: tokens}, outputs=logit)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(LEARNING_RATE),
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    return model


def report(context: trainer.ReportContext) -> List[str]:
    """The notes' sample predictions, through the exported raw-text signature; the padding
    check shows that a batch-mate of 2,000 padding words leaves a review's score unchanged."""
    serve_raw = tf.saved_model.load(context.serving_model_dir).signatures["serving_raw"]

    def probability(*texts: str) -> np.ndarray:
        return serve_raw(**{TEXT_KEY: tf.constant(texts)})["scores"].numpy()[:, 0]

    positive, negative = probability(POSITIVE_SAMPLE, NEGATIVE_SAMPLE)
    alone = probability(POSITIVE_SAMPLE)[0]
    padded = probability(POSITIVE_SAMPLE, PADDING_SAMPLE)[0]
    return [
        f"P(positive) of the notes' positive sample review: {positive:.3f}; of their negative one: {negative:.3f}",
        f"Masking: the positive sample scores {alone:.4f} alone and {padded:.4f} beside 2,000 padding words",
    ]


def trainer_spec(build_model) -> trainer.TrainerSpec:
    """A sentiment model's TrainerSpec: raw text in, P(positive) out."""
    return trainer.TrainerSpec(
        build_model=build_model,
        predictions=lambda tf_transform_output: export.sigmoid_predictions(from_logits=True),
        labels=TRANSFORMED_LABEL_KEY,
        serving_feature_keys=(TEXT_KEY,),
        train_batch_size=BATCH_SIZE,
        eval_batch_size=BATCH_SIZE,
        report=report,
    )
