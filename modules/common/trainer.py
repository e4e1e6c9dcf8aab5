"""The Trainer's run_fn, shared by every model: a model package supplies what differs.

A model package's `run_fn` is one call to `run` with its `TrainerSpec`. `run` reads
Transform's output, trains with `fit`, exports the serving signatures, and writes
the model's report (lines the pipeline prints in its summary) into the model-run
directory.
"""

import json
import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, inputs
from modules.common.keras_compat import skip_autograph_for_tf_keras
from modules.common.model_spec import FULL_SIZE_KEY

skip_autograph_for_tf_keras()

REPORT_FILE_NAME = "report.json"
# Training is split into at most this many epochs so that the history (and
# TensorBoard) shows a curve, while the total number of steps stays exact.
MAX_EPOCHS = 10
HISTORY_FILE_NAME = "history.json"
DEFAULT_SEED = 42

@dataclass(frozen=True)
class ReportContext:
    """What a model's report may use: the trained model, its export, its training data."""

    model: tf.keras.Model
    tf_transform_output: tft.TFTransformOutput
    serving_model_dir: str
    train_dataset: tf.data.Dataset  # endless, shuffled: what the model trained on
    train_split: tf.data.Dataset  # one ordered pass over the train split
    train_steps: int
    eval_split: tf.data.Dataset  # one ordered pass over the eval split
    model_run_dir: str  # the ModelRun artifact's directory: files a report writes beside it


ReportFn = Callable[[ReportContext], List[str]]
# (model, train dataset, eval dataset, train steps, eval steps, log dir) -> history
TrainFn = Callable[[tf.keras.Model, tf.data.Dataset, tf.data.Dataset, int, int, str], dict]


@dataclass(frozen=True)
class TrainerSpec:
    """What `run` needs from a model package.

    `labels` is the transformed label key, or for a multi-output model a mapping from
    each Keras output name to its transformed label key.
    """

    build_model: Callable[[tft.TFTransformOutput], tf.keras.Model]
    predictions: Callable[[tft.TFTransformOutput], export.PredictionsFn]
    labels: Union[str, Mapping[str, str]]
    serving_feature_keys: Sequence[str]
    train_batch_size: int
    eval_batch_size: int
    report: Optional[ReportFn] = None
    # Keep the parsed splits in memory while training (see inputs.transformed_dataset);
    # turn off for splits that do not fit.
    cache_in_memory: bool = True
    # Replaces the single `fit` (e.g. for two-stage transfer learning).
    train: Optional[TrainFn] = None
    # Image models: `serving_default` takes image arrays (see export.ImageInput).
    image_input: Optional[export.ImageInput] = None
    # Signatures of the model's own, beside the shared ones (see export.ExtraSignaturesFn).
    extra_signatures: Optional[export.ExtraSignaturesFn] = None


def seed_from(custom_config: Dict[str, Any] | None) -> int:
    """The training seed passed through the Trainer's custom_config."""
    return int((custom_config or {}).get("seed", DEFAULT_SEED))


def full_size_from(custom_config: Dict[str, Any] | None) -> bool:
    """Whether the run asked for the notes' full setting (`--full`), passed through the
    custom_config: a model whose default is a smaller network builds the notes' size then."""
    return bool((custom_config or {}).get(FULL_SIZE_KEY, False))


def fit(
    model: tf.keras.Model,
    train_dataset: tf.data.Dataset,
    eval_dataset: tf.data.Dataset,
    train_steps: int,
    eval_steps: int,
    log_dir: str,
) -> Dict[str, list]:
    """Trains for exactly `train_steps` steps and writes the history beside TensorBoard's logs.

    Returns the per-epoch history (loss and metrics on train and eval batches).
    """
    epochs = math.gcd(train_steps, MAX_EPOCHS)
    history = model.fit(
        train_dataset,
        epochs=epochs,
        steps_per_epoch=train_steps // epochs,
        validation_data=eval_dataset,
        validation_steps=eval_steps,
        callbacks=[tf.keras.callbacks.TensorBoard(log_dir=log_dir)],
        verbose=2,
    )
    curves = {name: [float(v) for v in values] for name, values in history.history.items()}
    curves["steps"] = [(epoch + 1) * (train_steps // epochs) for epoch in range(epochs)]
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, HISTORY_FILE_NAME), "w", encoding="utf-8") as handle:
        json.dump(curves, handle, indent=1)
    return curves


def run(fn_args: FnArgs, spec: TrainerSpec) -> None:
    """Trains, exports and reports; the body of every model's `run_fn`."""
    tf.keras.utils.set_random_seed(seed_from(fn_args.custom_config))
    tf_transform_output = tft.TFTransformOutput(fn_args.transform_output)

    def dataset(files: List[str], batch_size: int, repeat: bool = True) -> tf.data.Dataset:
        return inputs.transformed_dataset(
            files, fn_args.data_accessor, tf_transform_output, spec.labels, batch_size, repeat, spec.cache_in_memory
        )

    model = spec.build_model(tf_transform_output)
    train_dataset = dataset(fn_args.train_files, spec.train_batch_size)
    (spec.train or fit)(
        model,
        train_dataset,
        dataset(fn_args.eval_files, spec.eval_batch_size),
        fn_args.train_steps,
        fn_args.eval_steps,
        fn_args.model_run_dir,
    )
    export.export_serving_model(
        model,
        tf_transform_output,
        fn_args.serving_model_dir,
        spec.serving_feature_keys,
        spec.predictions(tf_transform_output),
        spec.image_input,
        spec.extra_signatures,
    )
    context = ReportContext(
        model,
        tf_transform_output,
        fn_args.serving_model_dir,
        train_dataset,
        dataset(fn_args.train_files, spec.train_batch_size, repeat=False),
        fn_args.train_steps,
        dataset(fn_args.eval_files, spec.eval_batch_size, repeat=False),
        fn_args.model_run_dir,
    )
    lines = spec.report(context) if spec.report else []
    write_report(fn_args.model_run_dir, lines)


def write_report(model_run_dir: str, lines: List[str]) -> None:
    os.makedirs(model_run_dir, exist_ok=True)
    with open(os.path.join(model_run_dir, REPORT_FILE_NAME), "w", encoding="utf-8") as handle:
        json.dump({"lines": lines}, handle, indent=1)


def read_report(model_run_dir: str) -> List[str]:
    """The report lines a Trainer wrote, or [] for a model run without a report."""
    path = os.path.join(model_run_dir, REPORT_FILE_NAME)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return list(json.load(handle)["lines"])
