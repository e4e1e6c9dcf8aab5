"""The Trainer's input pipeline against `model.fit` on the same rows held as in-memory tensors.

Reads a finished taxi run's Transform outputs from ML Metadata, then trains two fresh
copies of the taxi model for the same number of steps and batch size: one fed by
`modules.common.inputs.transformed_dataset` exactly as the Trainer builds it (reading the
transformed TFRecords from disk on the first pass), one fed by numpy arrays of the whole
train split already in memory, Keras' fastest path. A warm-up of WARMUP_STEPS on each
keeps graph tracing out of the timed steps.
"""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Tuple

import numpy as np

from inspection import mlmd

WARMUP_STEPS = 50
TRANSFORM_NODE_ID = "Transform"


@dataclass
class InputThroughput:
    train_rows: int
    steps: int
    batch_size: int
    pipeline_examples_per_s: float
    in_memory_examples_per_s: float
    read_only_examples_per_s: float

    @property
    def ratio(self) -> float:
        return self.pipeline_examples_per_s / self.in_memory_examples_per_s


def _transform_outputs(metadata_path: Path, pipeline_name: str):
    from tfx.orchestration import metadata
    from tfx.types import standard_artifacts

    store = mlmd.open_store(metadata.sqlite_metadata_connection_config(str(metadata_path)))
    execution = mlmd.latest_node_execution(store, pipeline_name, TRANSFORM_NODE_ID)
    if execution is None:
        raise ValueError(f"{metadata_path}: no Transform execution of {pipeline_name}")
    outputs = mlmd.output_artifacts(store, execution.id)
    examples = standard_artifacts.Examples()
    examples.set_mlmd_artifact(outputs["transformed_examples"][0])
    return examples, outputs["transform_graph"][0].uri


def _timed_fit(model, steps: int, **fit_args) -> float:
    started = time.perf_counter()
    model.fit(epochs=1, steps_per_epoch=steps, verbose=0, **fit_args)
    return time.perf_counter() - started


def _in_memory(dataset) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """The whole split as numpy arrays: (features by name, labels)."""
    features: Dict[str, list] = {}
    labels = []
    for batch_features, batch_labels in dataset.as_numpy_iterator():
        for name, values in batch_features.items():
            features.setdefault(name, []).append(values)
        labels.append(batch_labels)
    return {name: np.concatenate(parts) for name, parts in features.items()}, np.concatenate(labels)


def measure(metadata_path: Path, pipeline_name: str, steps: int) -> InputThroughput:
    import tensorflow as tf
    import tensorflow_transform as tft
    from tfx.components.trainer.fn_args_utils import DataAccessor
    from tfx.components.util import tfxio_utils
    from tfx.types import artifact_utils
    from tfx.utils import io_utils

    from modules.common import inputs
    from modules.taxi import features, model as taxi_model

    examples, transform_graph_uri = _transform_outputs(metadata_path, pipeline_name)
    tf_transform_output = tft.TFTransformOutput(transform_graph_uri)
    accessor = DataAccessor(
        tf_dataset_factory=tfxio_utils.get_tf_dataset_factory_from_artifact([examples], []),
        record_batch_factory=None,
        data_view_decode_fn=None,
    )
    files = [io_utils.all_files_pattern(uri) for uri in artifact_utils.get_split_uris([examples], "train")]
    batch_size = taxi_model.BATCH_SIZE

    def trainer_dataset(repeat: bool = True):
        return inputs.transformed_dataset(
            files, accessor, tf_transform_output, features.TRANSFORMED_LABEL_KEY, batch_size, repeat,
            taxi_model.TRAINER.cache_in_memory,
        )

    x, y = _in_memory(trainer_dataset(repeat=False))

    started = time.perf_counter()
    for _ in trainer_dataset().take(steps):
        pass
    read_only = steps * batch_size / (time.perf_counter() - started)

    tf.keras.utils.set_random_seed(0)
    fed = taxi_model.build_keras_model(tf_transform_output)
    dataset = trainer_dataset()
    _timed_fit(fed, WARMUP_STEPS, x=dataset)
    pipeline_seconds = _timed_fit(fed, steps, x=dataset)

    tf.keras.utils.set_random_seed(0)
    held = taxi_model.build_keras_model(tf_transform_output)
    _timed_fit(held, WARMUP_STEPS, x=x, y=y, batch_size=batch_size)
    in_memory_seconds = _timed_fit(held, steps, x=x, y=y, batch_size=batch_size)
    return InputThroughput(
        train_rows=len(y),
        steps=steps,
        batch_size=batch_size,
        pipeline_examples_per_s=round(steps * batch_size / pipeline_seconds, 1),
        in_memory_examples_per_s=round(steps * batch_size / in_memory_seconds, 1),
        read_only_examples_per_s=round(read_only, 1),
    )
