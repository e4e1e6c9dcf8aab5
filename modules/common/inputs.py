"""Input functions that read Transform's materialized examples."""

from typing import List, Mapping, Union

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import DataAccessor
from tfx_bsl.public import tfxio


def transformed_dataset(
    file_pattern: List[str],
    data_accessor: DataAccessor,
    tf_transform_output: tft.TFTransformOutput,
    labels: Union[str, Mapping[str, str]],
    batch_size: int,
) -> tf.data.Dataset:
    """Endless (features, label) batches of transformed examples.

    `labels` is one transformed label key, or {Keras output name: transformed label key}
    for a multi-output model, whose batches then carry a dict of labels.
    """
    single_label = labels if isinstance(labels, str) else None
    dataset = data_accessor.tf_dataset_factory(
        file_pattern,
        tfxio.TensorFlowDatasetOptions(batch_size=batch_size, label_key=single_label),
        tf_transform_output.transformed_metadata.schema,
    )
    if single_label is None:

        def split_labels(features):
            targets = {output: features.pop(key) for output, key in labels.items()}
            return features, targets

        dataset = dataset.map(split_labels)
    return dataset.repeat()
