"""TFLite exports against the SavedModel they came from: size, eval metric, latency.

Each model runs once through the CLI (default training length, or `--full`), then, from
what ML Metadata recorded:
- size: each `.tflite` file against the SavedModel's `variables/` (its weights);
- metric: accuracy (class id from the model's own serving head) or RMSE, on the first
  `EVAL_EXAMPLES` transformed eval examples, every format on the same examples; and how
  often a TFLite model predicts the SavedModel's class (for a regression: the largest
  difference in the predicted value);
- latency: median seconds per example at batch 1 over `LATENCY_EXAMPLES` calls, the
  TFLite interpreter on one thread against the SavedModel's `transformed_predict`
  called in-process (after `WARMUP_CALLS` calls each).
"""

import importlib
import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, List, Optional

import numpy as np

from bench.models import run_pipeline
from bench.pipeline_speed import machine_description
from inspection import mlmd
from modules.common.model_spec import ModelSpec
from pipeline.models import MODELS

DEFAULT_MODELS = ("penguin", "mnist_mlp", "fashion_cnn", "cifar10_cnn", "taxi", "linear_regression")
EVAL_EXAMPLES = 1000
LATENCY_EXAMPLES = 300
WARMUP_CALLS = 20
EVAL_SPLIT = "eval"
SAVED_MODEL_FORMAT = "SavedModel"
INTERPRETER_THREADS = 1


@dataclass
class FormatResult:
    """One model in one format (the SavedModel or a TFLite mode)."""

    model: str
    format: str
    bytes: int
    size_vs_saved_model: float
    metric: str
    value: float
    # classification: share of examples with the SavedModel's class; regression: max |difference|
    agreement: Optional[float]
    median_latency_us: float
    examples: int
    train_steps: int


def _directory_bytes(root: str) -> int:
    return sum(os.path.getsize(os.path.join(d, name)) for d, _, files in os.walk(root) for name in files)


def _median_seconds(call: Callable[[dict], object], examples: List[dict]) -> float:
    for example in examples[:WARMUP_CALLS]:
        call(example)
    seconds = []
    for example in examples:
        started = time.perf_counter()
        call(example)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


@dataclass
class Scorer:
    """Turns raw model outputs into predictions through the model's serving head, and scores them."""

    head: Callable
    labels: np.ndarray

    def predicted(self, outputs: np.ndarray) -> np.ndarray:
        import tensorflow as tf

        served = self.head(tf.constant(outputs))
        if "classes" not in served:
            return outputs.reshape(len(outputs), -1)[:, 0]
        scores = served["scores"].numpy()
        return scores.argmax(axis=1) if scores.shape[1] > 1 else served["classes"].numpy()

    @property
    def is_regression(self) -> bool:
        return self.labels.dtype.kind == "f"

    @property
    def metric(self) -> str:
        return "RMSE" if self.is_regression else "accuracy"

    def score(self, predicted: np.ndarray) -> float:
        labels = self.labels.reshape(len(self.labels))
        if self.is_regression:
            return float(np.sqrt(np.mean((predicted - labels) ** 2)))
        return float(np.mean(predicted == labels))

    def agreement(self, predicted: np.ndarray, reference: np.ndarray) -> float:
        if self.is_regression:
            return float(np.max(np.abs(predicted - reference)))
        return float(np.mean(predicted == reference))


def _artifact_uri(store, pipeline_name: str, node: str, key: str) -> str:
    execution = mlmd.latest_node_execution(store, pipeline_name, node)
    if execution is None:
        raise RuntimeError(f"{pipeline_name}: no {node} execution recorded")
    return mlmd.output_artifacts(store, execution.id)[key][0].uri


def measure(spec: ModelSpec, output_dir: Path, full: bool) -> List[FormatResult]:
    """Runs the pipeline for `spec`, then compares its SavedModel with each TFLite file."""
    import tensorflow as tf
    import tensorflow_transform as tft
    from tfx.orchestration import metadata
    from tfx.utils import path_utils

    from components import tflite_artifact, tflite_conversion
    from modules.common.export import REGRESS_OUTPUT
    from modules.common.signatures import TRANSFORMED_PREDICT

    run_pipeline(spec, output_dir, full)
    store = mlmd.open_store(
        metadata.sqlite_metadata_connection_config(str(output_dir / "metadata" / f"{spec.name}.sqlite"))
    )
    model_dir = path_utils.serving_model_path(_artifact_uri(store, spec.name, "Trainer", "model"))
    tflite_dir = _artifact_uri(store, spec.name, "TFLiteExporter", tflite_artifact.TFLITE_MODEL_KEY)
    transform_graph_dir = _artifact_uri(store, spec.name, "Transform", "transform_graph")
    examples_dir = os.path.join(_artifact_uri(store, spec.name, "Transform", "transformed_examples"), f"Split-{EVAL_SPLIT}")

    trainer = importlib.import_module(f"modules.{spec.name}.model").TRAINER
    if not isinstance(trainer.labels, str):
        raise ValueError(f"{spec.name}: multi-output models (labels {trainer.labels}) are not benchmarked here")
    inputs = tflite_conversion.signature_inputs(model_dir, TRANSFORMED_PREDICT)
    parsed = tflite_conversion.read_transformed_examples(
        examples_dir, transform_graph_dir, [*inputs, trainer.labels], EVAL_EXAMPLES
    )
    features = tflite_conversion.as_signature_inputs(parsed, inputs)
    scorer = Scorer(trainer.predictions(tft.TFTransformOutput(transform_graph_dir)), parsed[trainer.labels])
    singles = list(tflite_conversion.single_examples(features))
    train_steps = (spec.full_train_steps if full else 0) or spec.train_steps

    signature = tf.saved_model.load(model_dir).signatures[TRANSFORMED_PREDICT]

    def saved_model_call(example: dict) -> np.ndarray:
        return signature(**{name: tf.constant(value) for name, value in example.items()})[REGRESS_OUTPUT].numpy()

    reference = scorer.predicted(saved_model_call(features))
    variables_bytes = _directory_bytes(os.path.join(model_dir, "variables"))

    def result(fmt: str, size: int, predicted: np.ndarray, agreement: Optional[float], seconds: float) -> FormatResult:
        return FormatResult(
            spec.name, fmt, size, round(size / variables_bytes, 3), scorer.metric, round(scorer.score(predicted), 4),
            None if agreement is None else round(agreement, 4), round(seconds * 1e6, 1), len(predicted), train_steps,
        )

    measured = [
        result(SAVED_MODEL_FORMAT, variables_bytes, reference, None,
               _median_seconds(saved_model_call, singles[:LATENCY_EXAMPLES]))
    ]
    for mode in tflite_conversion.MODES:
        path = os.path.join(tflite_dir, tflite_conversion.tflite_file_name(mode))
        runner = tf.lite.Interpreter(model_path=path, num_threads=INTERPRETER_THREADS).get_signature_runner(
            TRANSFORMED_PREDICT
        )

        def tflite_call(example: dict) -> np.ndarray:
            return runner(**example)[REGRESS_OUTPUT]

        predicted = scorer.predicted(np.concatenate([tflite_call(example) for example in singles]))
        measured.append(
            result(mode, os.path.getsize(path), predicted, scorer.agreement(predicted, reference),
                   _median_seconds(tflite_call, singles[:LATENCY_EXAMPLES]))
        )
    return measured


def _size(num_bytes: int) -> str:
    return f"{num_bytes / 1024:.1f} KB" if num_bytes < 1024 * 1024 else f"{num_bytes / 1024 / 1024:.2f} MB"


def to_markdown(measured: List[FormatResult], machine: str) -> str:
    lines = [
        "# TFLite exports against their SavedModel",
        "",
        f"Machine: {machine}. One `python -m pipeline run` per model at its default training length",
        "(steps below), then `python -m bench tflite` compares the SavedModel with the three TFLite files",
        "the TFLiteExporter node wrote, on the first transformed eval examples (same examples for every",
        "format). Size: the SavedModel's `variables/` and each `.tflite` file. Agreement: share of",
        "examples where the TFLite model predicts the SavedModel's class (regression: largest absolute",
        "difference of the prediction). Latency: median per example at batch 1, the TFLite interpreter",
        f"on {INTERPRETER_THREADS} thread against the SavedModel's `transformed_predict` in-process.",
        "",
        "| model | steps | format | size | size / SavedModel | metric | value | agreement | latency µs |",
        "|---|---:|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in measured:
        agreement = "—" if r.agreement is None else f"{r.agreement:.4f}"
        lines.append(
            f"| {r.model} | {r.train_steps} | {r.format} | {_size(r.bytes)} | {r.size_vs_saved_model:.3f} | "
            f"{r.metric} (n={r.examples}) | {r.value:.4f} | {agreement} | {r.median_latency_us:.0f} |"
        )
    return "\n".join(lines) + "\n"


def _merged_by_model(measured: List[FormatResult], earlier: Iterable[dict]) -> List[FormatResult]:
    """Earlier rows of models not measured this time stay; registry order."""
    rows = [FormatResult(**row) for row in earlier if row["model"] not in {r.model for r in measured}] + measured
    return sorted(rows, key=lambda r: list(MODELS).index(r.model))


def write(measured: List[FormatResult], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    json_path = results_dir / "tflite.json"
    earlier = json.loads(json_path.read_text())["formats"] if json_path.exists() else []
    measured = _merged_by_model(measured, earlier)
    machine = machine_description()
    json_path.write_text(json.dumps({"machine": machine, "formats": [asdict(r) for r in measured]}, indent=1))
    path = results_dir / "tflite.md"
    path.write_text(to_markdown(measured, machine))
    return path


def run_all(work_dir: Path, names: Iterable[str], full: bool) -> List[FormatResult]:
    measured: List[FormatResult] = []
    for name in names:
        measured += measure(MODELS[name], work_dir / name, full)
    return measured
