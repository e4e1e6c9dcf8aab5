"""The TF Serving tutorial's Fashion-MNIST CNN (notes L7677-7810)."""

from data import fashion_mnist
from data.image_records import LABEL_KEY
from modules.common.features import transformed_name
from modules.common.model_spec import Metric, ModelSpec
from modules.common.signatures import SERVING_EXAMPLES

MODEL = ModelSpec(
    task="10-class image classification, the TF Serving tutorial CNN (Conv2D 8, stride 2)",
    notes_result="none quoted (the TF Serving tutorial gets ~0.86-0.87 on Fashion-MNIST after 5 epochs, what --full trains)",
    data_sources={
        "shared": fashion_mnist.shared,
        "download": fashion_mnist.fashion_mnist_downloaded,
        "digits": fashion_mnist.digits_offline,
    },
    gated_metric=Metric("SparseCategoricalAccuracy"),
    label_key=transformed_name(LABEL_KEY),
    prediction_key="scores",
    eval_signature=SERVING_EXAMPLES,
    default_threshold=0.8,
    train_steps=500,
    eval_steps=16,
    full_train_steps=8200,  # the notes' 5 epochs of ~52,500 training images, batch 32
    example_format="tfrecord",
)
