"""The Trainer's input pipeline against `model.fit` on the same rows held as in-memory tensors.

Reads a finished taxi run's Transform outputs from ML Metadata, then trains fresh copies
of the taxi model for the same steps and batch size, fed three ways: by
`modules.common.inputs.transformed_dataset` exactly as the Trainer builds it (reading the
transformed TFRecords from disk), by the row-at-a-time pipeline it replaced, and by numpy
arrays of the whole train split already in memory (Keras' own fastest path). A warm-up of
WARMUP_STEPS on each keeps graph tracing out of the timed steps.
"""

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import numpy as np

from bench.pipeline_speed import sqlite_store
from inspection import mlmd

WARMUP_STEPS = 50
TRANSFORM_NODE_ID = "Transform"


@dataclass
class InputThroughput:
    train_rows: int
    steps: int
    batch_size: int
    repeats: int
    # Median examples/s of the timed steps, by what fed the model.
    pipeline_examples_per_s: float
    row_at_a_time_examples_per_s: float
    in_memory_examples_per_s: float
    # Seconds to build the Trainer's dataset (with cache_in_memory: reading the split in).
    pipeline_build_s: float

    @property
    def ratio(self) -> float:
        return self.pipeline_examples_per_s / self.in_memory_examples_per_s


def _transform_outputs(metadata_path: Path, pipeline_name: str):
    from tfx.types import standard_artifacts

    store = sqlite_store(metadata_path)
    execution = mlmd.latest_node_execution(store, pipeline_name, TRANSFORM_NODE_ID)
    if execution is None:
        raise ValueError(f"{metadata_path}: no Transform execution of {pipeline_name}")
    outputs = mlmd.output_artifacts(store, execution.id)
    examples = standard_artifacts.Examples()
    examples.set_mlmd_artifact(outputs["transformed_examples"][0])
    return examples, outputs["transform_graph"][0].uri


def _in_memory(dataset) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """The whole split as numpy arrays: (features by name, labels)."""
    features: Dict[str, list] = {}
    labels = []
    for batch_features, batch_labels in dataset.as_numpy_iterator():
        for name, values in batch_features.items():
            features.setdefault(name, []).append(values)
        labels.append(batch_labels)
    return {name: np.concatenate(parts) for name, parts in features.items()}, np.concatenate(labels)


def _examples_per_s(build_model: Callable, steps: int, examples_per_step: int, **fit_args) -> float:
    """Examples/s of `steps` steps of a fresh model, after WARMUP_STEPS that trace the graph."""
    import tensorflow as tf

    tf.keras.utils.set_random_seed(0)
    model = build_model()
    model.fit(epochs=1, steps_per_epoch=WARMUP_STEPS, verbose=0, **fit_args)
    started = time.perf_counter()
    model.fit(epochs=1, steps_per_epoch=steps, verbose=0, **fit_args)
    return steps * examples_per_step / (time.perf_counter() - started)


def measure(metadata_path: Path, pipeline_name: str, steps: int, repeats: int = 3) -> InputThroughput:
    """Median examples/s over `repeats` rounds, the three feeds taking turns in each round."""
    import tensorflow_transform as tft
    from tfx.components.trainer.fn_args_utils import DataAccessor
    from tfx.components.util import tfxio_utils
    from tfx.types import artifact_utils
    from tfx.utils import io_utils
    from tfx_bsl.public import tfxio

    from modules.common import inputs
    from modules.taxi import features
    from modules.taxi import model as taxi_model

    examples, transform_graph_uri = _transform_outputs(metadata_path, pipeline_name)
    tf_transform_output = tft.TFTransformOutput(transform_graph_uri)
    accessor = DataAccessor(
        tf_dataset_factory=tfxio_utils.get_tf_dataset_factory_from_artifact([examples], []),
        record_batch_factory=None,
        data_view_decode_fn=None,
    )
    files = [io_utils.all_files_pattern(uri) for uri in artifact_utils.get_split_uris([examples], "train")]
    batch_size, label = taxi_model.BATCH_SIZE, features.TRANSFORMED_LABEL_KEY
    schema = tf_transform_output.transformed_metadata.schema

    def read(read_batch_size: int):
        options = tfxio.TensorFlowDatasetOptions(batch_size=read_batch_size, label_key=label, num_epochs=1, shuffle=False)
        return accessor.tf_dataset_factory(files, options, schema)

    def trainer_pipeline():
        return inputs.transformed_dataset(
            files, accessor, tf_transform_output, label, batch_size, True, taxi_model.TRAINER.cache_in_memory
        )

    def row_at_a_time():
        """The Trainer's input before READ_BATCH_SIZE: a training batch per read, cached row by row."""
        return read(batch_size).unbatch().cache().shuffle(inputs.SHUFFLE_BUFFER).repeat().batch(batch_size)

    x, y = _in_memory(read(inputs.READ_BATCH_SIZE))
    steps = min(steps, len(y) // batch_size)  # Keras stops arrays at the end of an epoch

    def build_model():
        return taxi_model.build_keras_model(tf_transform_output)

    rates: Dict[str, List[float]] = {"pipeline": [], "row": [], "memory": [], "build": []}
    for _ in range(repeats):
        started = time.perf_counter()
        dataset = trainer_pipeline()
        rates["build"].append(time.perf_counter() - started)
        rates["pipeline"].append(_examples_per_s(build_model, steps, batch_size, x=dataset))
        rates["row"].append(_examples_per_s(build_model, steps, batch_size, x=row_at_a_time()))
        rates["memory"].append(_examples_per_s(build_model, steps, batch_size, x=x, y=y, batch_size=batch_size))
    return InputThroughput(
        train_rows=len(y),
        steps=steps,
        batch_size=batch_size,
        repeats=repeats,
        pipeline_examples_per_s=round(statistics.median(rates["pipeline"]), 1),
        row_at_a_time_examples_per_s=round(statistics.median(rates["row"]), 1),
        in_memory_examples_per_s=round(statistics.median(rates["memory"]), 1),
        pipeline_build_s=round(statistics.median(rates["build"]), 2),
    )
