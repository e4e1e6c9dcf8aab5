"""Input functions that read Transform's materialized examples."""

from typing import List, Mapping, Union

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import DataAccessor
from tfx_bsl.public import tfxio

# Examples shuffled at a time (TFXIO's default buffer).
SHUFFLE_BUFFER = 10000


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

    With `cache_in_memory`, the split is read and parsed once, kept in memory, and
    reshuffled every epoch from there: on a small split the steps no longer wait for
    reading and parsing (figures: bench/results/design_measurements.md), at the cost of
    holding the split in memory.

    `labels` is one transformed label key, or {Keras output name: transformed label key}
    for a multi-output model, whose batches then carry a dict of labels.
    """
    single_label = labels if isinstance(labels, str) else None
    read_once = cache_in_memory or not repeat
    dataset = data_accessor.tf_dataset_factory(
        file_pattern,
        tfxio.TensorFlowDatasetOptions(
            batch_size=batch_size,
            label_key=single_label,
            num_epochs=1 if read_once else None,
            shuffle=not read_once,
        ),
        tf_transform_output.transformed_metadata.schema,
    )
    if single_label is None:

        def split_labels(features):
            targets = {output: features.pop(key) for output, key in labels.items()}
            return features, targets

        dataset = dataset.map(split_labels)
    if repeat and cache_in_memory:
        dataset = dataset.unbatch().cache().shuffle(SHUFFLE_BUFFER).repeat().batch(batch_size)
    return dataset
