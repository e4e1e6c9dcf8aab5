"""What a model package declares about itself: `MODEL = ModelSpec(...)` in its `__init__.py`.

The declaration is the one place a model's data sources, gated metric, bound and training
length are written. It stays free of TensorFlow, so the registry (`pipeline.models`) can
import every package's declaration and the CLI still starts fast.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Tuple, Union

from modules.common.signatures import SERVING_DEFAULT

if TYPE_CHECKING:
    import tensorflow_model_analysis as tfma

MODULES_DIR = Path(__file__).resolve().parents[1]
COMMON_PACKAGE = "common"
SCHEMA_FILE_NAME = "schema.pbtxt"
# The Trainer's custom_config key saying the run asked for `--full` (the notes' network size
# where a model's default is smaller; see modules.common.trainer.full_size_from).
FULL_SIZE_KEY = "full_size"

# What keeps the JPEG models out of TFLite, seen when converting them (ERROR_NEEDS_FLEX_OPS).
JPEG_MODEL_TFLITE_GAP = (
    "its Keras model decodes JPEG bytes (DecodeJpeg) and keeps its augmentation layers' random ops "
    "(StatelessRandom*, ImageProjectiveTransformV3) in the inference graph; TFLite has builtins for neither"
)


@dataclass(frozen=True)
class Metric:
    """A TFMA metric by its class name (`SparseCategoricalAccuracy`), and which way is better."""

    class_name: str
    higher_is_better: bool = True
    # The module that defines a metric of the model's own ("" for one TFMA or Keras has).
    module: str = ""

    @property
    def key(self) -> str:
        """The name TFMA writes the metric's values under (`sparse_categorical_accuracy`)."""
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", self.class_name).lower()


@dataclass(frozen=True)
class MetricKey:
    """A metric as TFMA names it in its output: `name`, and `output` for multi-output models."""

    name: str
    output: str = ""

    @property
    def label(self) -> str:
        return f"{self.output}/{self.name}" if self.output else self.name


@dataclass(frozen=True)
class ModelSpec:
    """What the pipeline needs to know about one model package under `modules/`.

    The package follows a convention: `preprocessing.preprocessing_fn` (Transform),
    `model.run_fn` (Trainer) and `schema.pbtxt` (the data gate's curated schema); the
    Evaluator's config is built from this declaration.
    """

    task: str
    # Data source name -> function that writes the ExampleGen input directory (only
    # when its content changed) and returns a one-line description of what it wrote.
    # The first source is the default.
    data_sources: Mapping[str, Callable[[Path], str]]
    # The metric that blesses the model: it must pass `default_threshold` (a lower bound when
    # higher is better, an upper bound otherwise) and must not regress against the baseline.
    gated_metric: Metric
    default_threshold: float
    train_steps: int
    eval_steps: int
    # What the Evaluator compares: the transformed label (read through `transform_features`)
    # and the key of the prediction in the signature's outputs; for a multi-output model,
    # {output name: label} and {output name: prediction key}, and every metric is computed
    # (and gated) per output.
    label_key: Union[str, Mapping[str, str]]
    prediction_key: Union[str, Mapping[str, str]]
    # Computed and shown beside the gated metric, never gating.
    reported_metrics: Tuple[Metric, ...] = ()
    # The Evaluator's slices besides `overall`: one per value of each of these features.
    slice_feature_keys: Tuple[str, ...] = ()
    # The tf.Example signature TFMA calls on candidate and baseline alike: `serving_default`
    # where that takes tf.Examples (so baselines pushed before `serving_examples` existed
    # still evaluate); `serving_examples` for models whose default takes image arrays.
    eval_signature: str = SERVING_DEFAULT
    # The notes' training length, for `--full` (default: train_steps).
    full_train_steps: int = 0
    # "csv" (CsvExampleGen) or "tfrecord" (ImportExampleGen over tf.Example records).
    example_format: str = "csv"
    # What the study notes report for this model, to compare with (see ../shared/notes).
    notes_result: str = "none quoted"
    # Why the model cannot be converted to TFLite ("" when it can): the pipeline then has
    # no TFLite nodes for it and the run summary says why.
    tflite_unsupported: str = ""
    # The model's name, which is its package's: the registry fills it in from where it found
    # the declaration.
    name: str = ""

    @property
    def default_data_source(self) -> str:
        return next(iter(self.data_sources))

    @property
    def output_names(self) -> Tuple[str, ...]:
        """A multi-output model's output names, sorted; () for a single output."""
        return () if isinstance(self.label_key, str) else tuple(sorted(self.label_key))

    @property
    def summary_metrics(self) -> Tuple[MetricKey, ...]:
        """The metrics the run summary shows per slice: the gated one first, per output."""
        outputs = self.output_names or ("",)
        return tuple(
            MetricKey(metric.key, output) for metric in (self.gated_metric, *self.reported_metrics) for output in outputs
        )

    @property
    def schema_file(self) -> Path:
        """Where the model's curated schema lives (`python -m pipeline schema freeze` writes it)."""
        return MODULES_DIR / self.name / SCHEMA_FILE_NAME

    @property
    def preprocessing_fn(self) -> str:
        return f"modules.{self.name}.preprocessing.preprocessing_fn"

    @property
    def run_fn(self) -> str:
        return f"modules.{self.name}.model.run_fn"

    def eval_config(self, threshold: float, max_regression: float) -> "tfma.EvalConfig":
        """The Evaluator's config: the gated metric bound at `threshold`, at most
        `max_regression` worse than the baseline."""
        from modules.common.evaluation import make_eval_config  # TFMA: only to build a pipeline

        return make_eval_config(self, threshold, max_regression)

    def code_version(self) -> str:
        """Hash of the Python source the Transform and Trainer steps run.

        TFX caches on component arguments; a function path like `run_fn` stays the same
        when its code changes, so this hash goes into their custom_config and an edited
        model re-runs while an unchanged one stays cached. Declarations are left out: they
        reach the steps as arguments (steps, thresholds), not as code.
        """
        digest = hashlib.sha256()
        sources = [MODULES_DIR / "__init__.py"]
        for package in (COMMON_PACKAGE, self.name):
            sources += sorted((MODULES_DIR / package).glob("*.py"))
        declarations = {MODULES_DIR / self.name / "__init__.py", Path(__file__).resolve()}
        for source in sources:
            if source.name.endswith("_test.py") or source in declarations:
                continue
            digest.update(source.relative_to(MODULES_DIR).as_posix().encode())
            digest.update(b"\0" + source.read_bytes() + b"\0")
        return digest.hexdigest()[:16]
