"""The notes' Word2Vec (L6198-6235), built functionally: a target Embedding (`w2v_embedding`,
128 dimensions), a context Embedding, the dot product of the target's vector with each of
the five contexts' vectors as five logits; Adam, cross-entropy from logits, batch 1024.

The notes' subclass has its layers and `call` outside the class body (catalogue bug 95);
their `CategoricalCrossentropy` over a one-hot label is the sparse loss here, whose label
is the true context's position (the data shuffles the five contexts). The notes' dataset
`from_tensor_slices((targets, contexts), labels)` (bug 96) and `Tensorboard` (bug 97) are
the shared trainer's input pipeline and TensorBoard callback, whose logs go to the
model-run directory (the notes' `'{path_to_your_logs}'`, bug 98).

Served: `scores` (softmax over the five contexts) and `true_context` (the position of the
likeliest); and `neighbours`, the words nearest a word by cosine similarity of their
target vectors. The report writes the Embedding Projector's `vectors.tsv` and
`metadata.tsv` (L6238-6252, with bug 99's join fixed) into the model-run directory.

What it learns on this data: the training pairs are largely memorized (at `--full`, 0.94
accuracy on training batches, the tutorial's "about 0.9"), while held-out pairs level off
near 0.32 against chance 0.2 after about 350 steps, where the held-out loss starts rising.
"""

import math
import os
from typing import Dict, List, Sequence

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, trainer
from modules.word2vec import features

EMBEDDING_DIM = 128  # the notes' embedding_dim
BATCH_SIZE = 1024  # the notes' BATCH_SIZE
EMBEDDING_LAYER = "w2v_embedding"
CONTEXT_EMBEDDING_LAYER = "context_embedding"
# The model's own signature: input `word` (strings [batch]) and `k` (an int32 scalar, so
# the REST request is columnar: {"signature_name": "neighbours", "inputs": {"word": [...], "k": 5}}),
# outputs `neighbours` (strings [batch, k]) and `scores` (cosine similarities [batch, k]).
NEIGHBOURS_SIGNATURE = "neighbours"
WORD_INPUT = "word"
K_INPUT = "k"
NEIGHBOURS_OUTPUT = "neighbours"
SCORES_OUTPUT = "scores"
# What a word outside the vocabulary gets: this word in every place, each score NaN.
UNKNOWN_NEIGHBOUR = ""
REPORT_WORDS = ("king", "love", "night", "death", "good")
REPORT_NEIGHBOURS = 5
VECTORS_FILE = "vectors.tsv"
METADATA_FILE = "metadata.tsv"


def vocabulary_size(tf_transform_output: tft.TFTransformOutput) -> int:
    """Words in Transform's vocabulary: ids 0..size-1; the OOV id is `size`."""
    return tf_transform_output.vocabulary_size_by_name(features.WORDS_VOCABULARY)


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    rows = vocabulary_size(tf_transform_output) + features.NUM_OOV_BUCKETS
    layers = tf.keras.layers
    target = layers.Input(shape=(1,), dtype=tf.int64, name=features.TRANSFORMED_TARGET_KEY)
    context = layers.Input(shape=(features.CONTEXTS,), dtype=tf.int64, name=features.TRANSFORMED_CONTEXT_KEY)
    target_vector = layers.Embedding(rows, EMBEDDING_DIM, name=EMBEDDING_LAYER)(target)
    context_vectors = layers.Embedding(rows, EMBEDDING_DIM, name=CONTEXT_EMBEDDING_LAYER)(context)
    # [batch, 5, dim] . [batch, 1, dim] over dim -> [batch, 5, 1]: the notes' Dot(axes=(3, 2))
    # for their (5, 1)-shaped context.
    dots = layers.Dot(axes=(2, 2), name="dots")([context_vectors, target_vector])
    logits = layers.Flatten(name="logits")(dots)
    model = tf.keras.Model(inputs={target.name: target, context.name: context}, outputs=logits)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


def context_predictions(tf_transform_output: tft.TFTransformOutput) -> export.Head:
    """Logits -> `scores` (softmax over the five contexts) and `true_context` (the position
    of the likeliest). No Classify: the five positions are no fixed classes."""
    del tf_transform_output

    def predictions(logits: tf.Tensor) -> Dict[str, tf.Tensor]:
        scores = tf.nn.softmax(logits)
        return {"scores": scores, "true_context": tf.argmax(scores, axis=1)}

    return export.Head(predictions)


def neighbours_signature(
    model: tf.keras.Model, tf_transform_output: tft.TFTransformOutput
) -> Dict[str, tf.types.experimental.ConcreteFunction]:
    """`neighbours`: the k words whose target vectors are nearest each word's by cosine
    similarity, most similar first, never the word itself or the OOV row (there is no
    padding row: Transform's ids are words from 0). Words map to rows through Transform's
    `words` vocabulary file, which the SavedModel keeps as an asset. An unknown word gets
    UNKNOWN_NEIGHBOUR ("") in every place and NaN scores; k is clipped to [0, words - 1]."""
    words = vocabulary_size(tf_transform_output)
    vocabulary_file = tf_transform_output.vocabulary_file_by_name(features.WORDS_VOCABULARY)
    lookup = tf.lookup.TextFileIndex
    model.rows_by_word = tf.lookup.StaticHashTable(
        tf.lookup.TextFileInitializer(vocabulary_file, tf.string, lookup.WHOLE_LINE, tf.int64, lookup.LINE_NUMBER), -1
    )
    model.words_by_row = tf.lookup.StaticHashTable(
        tf.lookup.TextFileInitializer(vocabulary_file, tf.int64, lookup.LINE_NUMBER, tf.string, lookup.WHOLE_LINE),
        UNKNOWN_NEIGHBOUR,
    )
    embeddings = model.get_layer(EMBEDDING_LAYER).embeddings

    @tf.function(
        input_signature=[tf.TensorSpec([None], tf.string, name=WORD_INPUT), tf.TensorSpec([], tf.int32, name=K_INPUT)]
    )
    def neighbours(word: tf.Tensor, k: tf.Tensor) -> Dict[str, tf.Tensor]:
        unit_vectors = tf.math.l2_normalize(embeddings[:words], axis=1)
        rows = model.rows_by_word.lookup(word)
        known = rows >= 0
        query_rows = tf.where(known, rows, 0)
        similarity = tf.matmul(tf.gather(unit_vectors, query_rows), unit_vectors, transpose_b=True)
        is_self = tf.one_hot(query_rows, words, on_value=True, off_value=False)
        similarity = tf.where(is_self, tf.constant(-np.inf, similarity.dtype), similarity)
        scores, nearest = tf.math.top_k(similarity, k=tf.clip_by_value(k, 0, words - 1))
        names = model.words_by_row.lookup(tf.cast(nearest, tf.int64))
        return {
            NEIGHBOURS_OUTPUT: tf.where(known[:, tf.newaxis], names, UNKNOWN_NEIGHBOUR),
            SCORES_OUTPUT: tf.where(known[:, tf.newaxis], scores, tf.constant(math.nan, scores.dtype)),
        }

    return {NEIGHBOURS_SIGNATURE: neighbours.get_concrete_function()}


def pair_accuracy(model: tf.keras.Model, split: tf.data.Dataset) -> tuple[float, int]:
    """The fraction of a split's pairs whose true context gets the highest logit, and how many pairs."""
    correct = total = 0
    for batch, labels in split:
        guessed = np.argmax(model(batch, training=False).numpy(), axis=1)
        correct += int(np.sum(guessed == labels.numpy().reshape(-1)))
        total += len(guessed)
    return correct / max(total, 1), total


def write_projector_files(directory: str, vectors: np.ndarray, words: Sequence[str]) -> None:
    """The Embedding Projector's `vectors.tsv` (one tab-separated vector a line) and
    `metadata.tsv` (its word): the notes' export with its join fixed (catalogue bug 99)."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, VECTORS_FILE), "w", encoding="utf-8") as out_vectors, open(
        os.path.join(directory, METADATA_FILE), "w", encoding="utf-8"
    ) as out_metadata:
        for word, vector in zip(words, vectors):
            out_vectors.write("\t".join(str(x) for x in vector) + "\n")
            out_metadata.write(word + "\n")


def neighbour_lines(served: tf.types.experimental.ConcreteFunction, words: Sequence[str], k: int) -> List[str]:
    """One line per word: its k nearest words and their cosine similarity, or `unknown word`."""
    answer = served(**{WORD_INPUT: tf.constant(list(words)), K_INPUT: tf.constant(k, tf.int32)})
    lines = []
    for word, names, scores in zip(words, answer[NEIGHBOURS_OUTPUT].numpy(), answer[SCORES_OUTPUT].numpy()):
        if np.all(np.isnan(scores)):
            lines.append(f"Neighbours of {word!r}: unknown word")
            continue
        nearest = ", ".join(f"{name.decode()} {score:.2f}" for name, score in zip(names, scores))
        lines.append(f"Neighbours of {word!r} (cosine): {nearest}")
    return lines


def vocabulary_words(tf_transform_output: tft.TFTransformOutput) -> List[str]:
    """Transform's `words` vocabulary: the word of each id, most frequent first."""
    return [word.decode() for word in tf_transform_output.vocabulary_by_name(features.WORDS_VOCABULARY)]


def report(context: trainer.ReportContext) -> List[str]:
    """Held-out pair accuracy, the served neighbours of REPORT_WORDS, and the Embedding
    Projector files (one row per word: the notes skip padding, here the OOV row goes)."""
    accuracy, pairs = pair_accuracy(context.model, context.eval_split)
    words = vocabulary_words(context.tf_transform_output)
    vectors = context.model.get_layer(EMBEDDING_LAYER).get_weights()[0][: len(words)]
    write_projector_files(context.model_run_dir, vectors, words)
    served = tf.saved_model.load(context.serving_model_dir).signatures[NEIGHBOURS_SIGNATURE]
    return [
        f"Held-out pair accuracy: {accuracy:.1%} of {pairs} eval pairs pick the true context "
        f"of 5 (chance {features.CHANCE_ACCURACY:.1%})",
        *neighbour_lines(served, REPORT_WORDS, REPORT_NEIGHBOURS),
        f"Embedding Projector files ({len(words)} words x {vectors.shape[1]}): "
        f"{os.path.join(context.model_run_dir, VECTORS_FILE)}, {os.path.join(context.model_run_dir, METADATA_FILE)}",
    ]


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=context_predictions,
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=features.SERVING_FEATURE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
    extra_signatures=neighbours_signature,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
