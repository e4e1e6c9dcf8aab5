"""The TF tutorial's CIFAR-10 CNN (notes L3392-3487)."""

from data import cifar10
from data.image_records import LABEL_KEY
from modules.common.features import transformed_name
from modules.common.model_spec import Metric, ModelSpec
from modules.common.signatures import SERVING_EXAMPLES

MODEL = ModelSpec(
    task="10-class colour image classification, the TF tutorial's CNN",
    notes_result="none quoted (the TF tutorial gets ~70% test accuracy on CIFAR-10)",
    data_sources={"generated": cifar10.cifar10_generated, "download": cifar10.cifar10_downloaded},
    gated_metric=Metric("SparseCategoricalAccuracy"),
    label_key=transformed_name(LABEL_KEY),
    prediction_key="scores",
    eval_signature=SERVING_EXAMPLES,
    default_threshold=0.6,
    train_steps=500,
    eval_steps=16,
    full_train_steps=14070,  # the notes' 10 epochs of CIFAR-10's ~45,000 training rows here, batch 32
    example_format="tfrecord",
)
