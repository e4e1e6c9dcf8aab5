"""The save/load tutorial's MNIST MLP (notes L3739-3914)."""

from data import mnist
from modules.common.model_spec import Metric, ModelSpec
from modules.common.signatures import SERVING_EXAMPLES
from modules.mnist_mlp import features

MODEL = ModelSpec(
    task="10-class digit classification, MLP (save/load tutorial)",
    notes_result="~87% accuracy with 1,000 training examples (save/load tutorial)",
    data_sources={"shared": mnist.shared, "download": mnist.downloaded},
    gated_metric=Metric("SparseCategoricalAccuracy"),
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="scores",
    eval_signature=SERVING_EXAMPLES,
    default_threshold=0.85,  # the notes: ~87% with 1,000 training examples
    train_steps=240,  # the notes' 10 epochs of ~750 training examples in batches of 32
    eval_steps=8,
    example_format="tfrecord",
)
