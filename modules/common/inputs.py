"""Input functions that read Transform's materialized examples."""

from typing import Any, List, Mapping, Tuple, Union

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import DataAccessor
from tfx_bsl.public import tfxio

# Examples shuffled at a time (TFXIO's default buffer).
SHUFFLE_BUFFER = 10000
# Rows parsed per read. Reading and parsing a training batch at a time (40 rows for
# taxi) left the model waiting on tf.data's per-batch overhead; the reads are cut into
# training batches afterwards (bench/results/scale.md, the Trainer's input).
READ_BATCH_SIZE = 1024


def _all_dense(dataset: tf.data.Dataset) -> bool:
    return all(isinstance(spec, tf.TensorSpec) for spec in tf.nest.flatten(dataset.element_spec))


def _concatenated(dataset: tf.data.Dataset) -> Any:
    """The whole (finite) dataset of batches as one batch: each tensor concatenated."""
    parts = list(dataset)
    return tf.nest.map_structure(lambda *tensors: tf.concat(tensors, axis=0), *parts)


def held_in_memory(dataset: tf.data.Dataset, batch_size: int) -> tf.data.Dataset:
    """Endless `batch_size` batches of a finite dataset of dense batches, held in memory.

    The split is read once into tensors; every epoch draws a fresh permutation of the
    rows and gathers each batch by index, as Keras does for arrays already in memory, so
    no tf.data step runs per row. The last batch of an epoch holds the remainder.
    """
    whole = _concatenated(dataset)
    rows = int(tf.shape(tf.nest.flatten(whole)[0])[0])
    full_batches, remainder = divmod(rows, batch_size)

    def epoch_batches(_: tf.Tensor) -> tf.data.Dataset:
        order = tf.random.shuffle(tf.range(rows, dtype=tf.int64))
        batches = tf.data.Dataset.from_tensor_slices(tf.reshape(order[: full_batches * batch_size], [-1, batch_size]))
        if remainder:
            batches = batches.concatenate(tf.data.Dataset.from_tensors(order[full_batches * batch_size:]))
        return batches

    def gathered(indices: tf.Tensor) -> Tuple[Any, ...]:
        return tf.nest.map_structure(lambda tensor: tf.gather(tensor, indices), whole)

    return (
        tf.data.Dataset.range(1).repeat().flat_map(epoch_batches)
        .map(gathered, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )


def transformed_dataset(
    file_pattern: List[str],
    data_accessor: DataAccessor,
    tf_transform_output: tft.TFTransformOutput,
    labels: Union[str, Mapping[str, str]],
    batch_size: int,
    repeat: bool = True,
    cache_in_memory: bool = False,
) -> tf.data.Dataset:
    """(features, label) batches of transformed examples, endless unless `repeat` is False.

    Rows are read and parsed READ_BATCH_SIZE at a time, then cut into `batch_size`
    batches. With `cache_in_memory`, the split is read once, kept in memory, and
    reshuffled every epoch from there (`held_in_memory`): the steps no longer wait for
    reading and parsing, at the cost of holding the split in memory. Otherwise the files
    are read again each epoch, shuffled SHUFFLE_BUFFER rows at a time. Splits with
    sparse or ragged features take the row-at-a-time path for both.

    `labels` is one transformed label key, or {Keras output name: transformed label key}
    for a multi-output model, whose batches then carry a dict of labels.
    """
    single_label = labels if isinstance(labels, str) else None
    held = cache_in_memory and repeat

    def read(read_batch_size: int, shuffle: bool, epochs) -> tf.data.Dataset:
        dataset = data_accessor.tf_dataset_factory(
            file_pattern,
            tfxio.TensorFlowDatasetOptions(
                batch_size=read_batch_size,
                label_key=single_label,
                num_epochs=epochs,
                shuffle=shuffle,
                shuffle_buffer_size=SHUFFLE_BUFFER,
            ),
            tf_transform_output.transformed_metadata.schema,
        )
        if single_label is None:

            def split_labels(features):
                targets = {output: features.pop(key) for output, key in labels.items()}
                return features, targets

            dataset = dataset.map(split_labels)
        return dataset

    dataset = read(READ_BATCH_SIZE, shuffle=repeat and not held, epochs=1 if held or not repeat else None)
    if _all_dense(dataset):
        if held:
            return held_in_memory(dataset, batch_size)
        return dataset.rebatch(batch_size).prefetch(tf.data.AUTOTUNE)
    if held:
        return read(batch_size, shuffle=False, epochs=1).unbatch().cache().shuffle(SHUFFLE_BUFFER).repeat().batch(batch_size)
    return read(batch_size, shuffle=repeat, epochs=None if repeat else 1)
