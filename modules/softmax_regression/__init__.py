"""D2L softmax regression (notes L141-455) as a TFX pipeline."""

from data import fashion_mnist
from data.image_records import LABEL_KEY
from modules.common.features import transformed_name
from modules.common.model_spec import Metric, ModelSpec
from modules.common.signatures import SERVING_EXAMPLES

MODEL = ModelSpec(
    task="10-class softmax regression on 28x28 images (D2L)",
    notes_result="none quoted (D2L reaches ~0.83-0.85 on Fashion-MNIST after 10 epochs, what --full trains)",
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
    eval_steps=4,
    full_train_steps=2050,  # D2L's 10 epochs of Fashion-MNIST's ~52,500 training images, batch 256
    example_format="tfrecord",
)
