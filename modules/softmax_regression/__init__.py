"""D2L softmax regression (notes L141-455) as a TFX pipeline."""

from data import fashion_mnist
from modules.common.model_spec import Metric, ModelSpec

MODEL = ModelSpec(
    task="10-class softmax regression on 28x28 images (D2L)",
    notes_result="none quoted (D2L reaches ~0.83-0.85 on Fashion-MNIST after 10 epochs)",
    data_sources={"digits": fashion_mnist.digits_offline, "download": fashion_mnist.fashion_mnist_downloaded},
    gated_metric=Metric("SparseCategoricalAccuracy"),
    default_threshold=0.8,
    train_steps=500,
    eval_steps=4,
    full_train_steps=2050,  # D2L's 10 epochs of Fashion-MNIST's ~52,500 training images, batch 256
    example_format="tfrecord",
)
