"""The registry of models a pipeline can be run for."""

import hashlib
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Tuple

import modules
from data import energy, images, mnist
from data import penguin as penguin_data
from data import synthetic, taxi
from pipeline.results import MetricKey
from pipeline.schemas import SCHEMA_FILE_NAME

if TYPE_CHECKING:
    import tensorflow_model_analysis as tfma

MODULES_DIR = Path(modules.__file__).parent
COMMON_PACKAGE = "common"


@dataclass(frozen=True)
class ModelSpec:
    """What the pipeline needs to know about one model package under `modules/`.

    The package follows a convention: `preprocessing.preprocessing_fn` (Transform),
    `model.run_fn` (Trainer) and `evaluation.eval_config(threshold, max_regression)`
    (Evaluator). The registry stays free of TensorFlow imports so the CLI starts fast.
    """

    name: str
    task: str
    package: str
    # Data source name -> function that writes the ExampleGen input directory (only
    # when its content changed) and returns a one-line description of what it wrote.
    # The first source is the default.
    data_sources: Mapping[str, Callable[[Path], str]]
    # The metrics the run summary shows per slice; the first is the gating metric,
    # whose bound (`default_threshold`) blesses the model.
    summary_metrics: Tuple[MetricKey, ...]
    default_threshold: float
    train_steps: int
    eval_steps: int
    # The notes' training length, for `--full` (default: train_steps).
    full_train_steps: int = 0
    # "csv" (CsvExampleGen) or "tfrecord" (ImportExampleGen over tf.Example records).
    example_format: str = "csv"
    # What the study notes report for this model, to compare with (see ../shared/notes).
    notes_result: str = "none quoted"
    # Why the model cannot be converted to TFLite ("" when it can): the pipeline then has
    # no TFLite nodes for it and the run summary says why.
    tflite_unsupported: str = ""

    @property
    def default_data_source(self) -> str:
        return next(iter(self.data_sources))

    @property
    def schema_file(self) -> Path:
        """Where the model's curated schema lives (`python -m pipeline schema freeze` writes it)."""
        return MODULES_DIR / self.package / SCHEMA_FILE_NAME

    @property
    def preprocessing_fn(self) -> str:
        return f"modules.{self.package}.preprocessing.preprocessing_fn"

    @property
    def run_fn(self) -> str:
        return f"modules.{self.package}.model.run_fn"

    def eval_config(self, threshold: float, max_regression: float) -> "tfma.EvalConfig":
        evaluation = importlib.import_module(f"modules.{self.package}.evaluation")
        return evaluation.eval_config(threshold, max_regression)

    def code_version(self) -> str:
        """Hash of the Python source the Transform and Trainer steps run.

        TFX caches on component arguments; a function path like `run_fn` stays the same
        when its code changes, so this hash goes into their custom_config and an edited
        model re-runs while an unchanged one stays cached.
        """
        digest = hashlib.sha256()
        sources = [MODULES_DIR / "__init__.py"]
        for package in (COMMON_PACKAGE, self.package):
            sources += sorted((MODULES_DIR / package).glob("*.py"))
        for source in sources:
            if source.name.endswith("_test.py"):
                continue
            digest.update(source.relative_to(MODULES_DIR).as_posix().encode())
            digest.update(b"\0" + source.read_bytes() + b"\0")
        return digest.hexdigest()[:16]


# What keeps the JPEG models out of TFLite, seen when converting them (ERROR_NEEDS_FLEX_OPS).
JPEG_MODEL_TFLITE_GAP = (
    "its Keras model decodes JPEG bytes (DecodeJpeg) and keeps its augmentation layers' random ops "
    "(StatelessRandom*, ImageProjectiveTransformV3) in the inference graph; TFLite has builtins for neither"
)


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in [
        ModelSpec(
            name="penguin",
            notes_result="none quoted (the TFX tutorial logs ~0.9-1.0 accuracy after 100 steps)",
            task="3-class classification (species)",
            package="penguin",
            data_sources={"package": penguin_data.prepare_packaged, "download": penguin_data.prepare_downloaded},
            summary_metrics=(MetricKey("sparse_categorical_accuracy"),),
            default_threshold=0.9,
            train_steps=100,
            eval_steps=5,
        ),
        ModelSpec(
            name="linear_regression",
            notes_result="none quoted; weights should be recovered (D2L: loss ~1e-4)",
            task="regression, y = Xw + b (D2L concise linear regression)",
            package="linear_regression",
            data_sources={"generated": synthetic.linear_regression},
            summary_metrics=(MetricKey("root_mean_squared_error"), MetricKey("mean_absolute_error")),
            default_threshold=0.05,
            train_steps=300,
            eval_steps=25,
        ),
        ModelSpec(
            name="huber_regression",
            notes_result="none quoted; y = 2x - 1, so predict(10) = 19",
            task="regression with the notes' custom Huber loss, y = 2x - 1 with outliers",
            package="huber_regression",
            data_sources={"generated": synthetic.huber_line},
            summary_metrics=(MetricKey("mean_absolute_error"), MetricKey("root_mean_squared_error")),
            # 5% outliers of +15..25 put a perfect line's MAE near 1.1; an MSE fit is far worse.
            default_threshold=1.5,
            # Huber's gradient is bounded, so SGD(0.01) needs more full-batch steps than the
            # notes' 500 epochs on six points to converge.
            train_steps=2000,
            eval_steps=1,
        ),
        ModelSpec(
            name="planar_flower",
            notes_result="90% training accuracy (L1876); logistic regression 47% (L1758)",
            task="binary classification of the 2-D 'flower' (shallow NN, 4 tanh units)",
            package="planar_flower",
            data_sources={"generated": synthetic.planar_flower},
            summary_metrics=(MetricKey("binary_accuracy"), MetricKey("auc")),
            default_threshold=0.88,
            train_steps=10000,
            eval_steps=1,
        ),
        ModelSpec(
            name="multi_output_regression",
            task="two-head regression: heating and cooling load of buildings",
            package="multi_output_regression",
            data_sources={"generated": energy.generated, "download": energy.downloaded},
            summary_metrics=(
                MetricKey("root_mean_squared_error", "y1_output"),
                MetricKey("root_mean_squared_error", "y2_output"),
            ),
            default_threshold=3.0,
            train_steps=3000,
            eval_steps=20,
            full_train_steps=2000 * 58,  # the notes' 2000 epochs of ~576 rows in batches of 10
        ),
        ModelSpec(
            name="taxi",
            notes_result="none quoted (TFX taxi blesses at 0.6 accuracy)",
            task="binary classification: did the tip exceed 20% of the fare (Chicago taxi)",
            package="taxi",
            data_sources={"shared": taxi.shared, "download": taxi.downloaded},
            summary_metrics=(MetricKey("binary_accuracy"), MetricKey("auc")),
            default_threshold=0.6,  # TFX's taxi example blesses at 0.6 accuracy too
            train_steps=1000,
            eval_steps=100,
            full_train_steps=10000,  # notes L8117: train_steps = 10000 (eval_steps = 5000)
        ),
        ModelSpec(
            name="mnist_mlp",
            notes_result="~87% accuracy with 1,000 training examples (save/load tutorial)",
            task="10-class digit classification, MLP (save/load tutorial)",
            package="mnist_mlp",
            data_sources={"shared": mnist.shared, "download": mnist.downloaded},
            summary_metrics=(MetricKey("sparse_categorical_accuracy"),),
            default_threshold=0.85,  # the notes: ~87% with 1,000 training examples
            train_steps=240,  # the notes' 10 epochs of ~750 training examples in batches of 32
            eval_steps=8,
            example_format="tfrecord",
        ),
        ModelSpec(
            name="softmax_regression",
            task="10-class softmax regression on 28x28 images (D2L)",
            notes_result="none quoted (D2L reaches ~0.83-0.85 on Fashion-MNIST after 10 epochs)",
            package="softmax_regression",
            data_sources={"digits": images.digits_offline, "download": images.fashion_mnist_downloaded},
            summary_metrics=(MetricKey("sparse_categorical_accuracy"),),
            default_threshold=0.8,
            train_steps=500,
            eval_steps=4,
            full_train_steps=2050,  # D2L's 10 epochs of Fashion-MNIST's ~52,500 training images, batch 256
            example_format="tfrecord",
        ),
        ModelSpec(
            name="fashion_cnn",
            task="10-class image classification, the TF Serving tutorial CNN (Conv2D 8, stride 2)",
            notes_result="none quoted (the TF Serving tutorial gets ~0.86-0.87 on Fashion-MNIST)",
            package="fashion_cnn",
            data_sources={"digits": images.digits_offline, "download": images.fashion_mnist_downloaded},
            summary_metrics=(MetricKey("sparse_categorical_accuracy"),),
            default_threshold=0.85,
            train_steps=500,
            eval_steps=16,
            full_train_steps=8200,  # the notes' 5 epochs of ~52,500 training images, batch 32
            example_format="tfrecord",
        ),
        ModelSpec(
            name="cifar10_cnn",
            task="10-class colour image classification, the TF tutorial's CNN",
            notes_result="none quoted (the TF tutorial gets ~70% test accuracy on CIFAR-10)",
            package="cifar10_cnn",
            data_sources={"generated": images.cifar10_generated, "download": images.cifar10_downloaded},
            summary_metrics=(MetricKey("sparse_categorical_accuracy"),),
            default_threshold=0.6,
            train_steps=500,
            eval_steps=16,
            full_train_steps=14070,  # the notes' 10 epochs of CIFAR-10's ~45,000 training rows here, batch 32
            example_format="tfrecord",
        ),
        ModelSpec(
            name="siamese",
            task="image-pair similarity: siamese network, contrastive loss (margin 1)",
            notes_result="none quoted; pair accuracy uses distance < 0.5 (the notes' > 0.5 is bug 142)",
            package="siamese",
            data_sources={"digits": images.digit_pairs_offline, "download": images.fashion_pairs_downloaded},
            summary_metrics=(MetricKey("binary_accuracy"),),
            default_threshold=0.8,
            train_steps=500,
            eval_steps=4,
            full_train_steps=2800,  # the notes' 20 epochs of ~18,000 Fashion-MNIST pairs, batch 128
            example_format="tfrecord",
        ),
        ModelSpec(
            name="flowers_cnn",
            task="5-class flower photos: CNN with augmentation, rescaling and dropout (JPEG in)",
            notes_result="none quoted (the TF tutorial: ~0.7 validation accuracy after 15 epochs)",
            package="flowers_cnn",
            data_sources={"generated": images.flowers_generated, "download": images.flowers_downloaded},
            summary_metrics=(MetricKey("sparse_categorical_accuracy"),),
            default_threshold=0.6,
            train_steps=60,
            eval_steps=2,
            full_train_steps=1380,  # the notes' 15 epochs of ~2,750 training photos, batch 32
            example_format="tfrecord",
            tflite_unsupported=JPEG_MODEL_TFLITE_GAP,
        ),
        ModelSpec(
            name="transfer_mobilenet",
            task="cats vs dogs: MobileNetV2 transfer learning, then fine-tuning from layer 100",
            notes_result="none quoted (the TF tutorial: ~95% before fine-tuning, ~98% after)",
            package="transfer_mobilenet",
            data_sources={"generated": images.cats_and_dogs_generated, "download": images.cats_and_dogs_downloaded},
            summary_metrics=(MetricKey("binary_accuracy"), MetricKey("auc")),
            default_threshold=0.5,
            train_steps=8,
            eval_steps=1,
            full_train_steps=1260,  # the notes' 10 + 10 epochs of ~2,250 training photos, batch 32
            example_format="tfrecord",
            tflite_unsupported=JPEG_MODEL_TFLITE_GAP,
        ),
    ]
}


def get_model(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(MODELS)}") from None
