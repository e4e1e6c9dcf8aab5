"""The siamese network with contrastive loss (Coursera custom models, notes L8622-8714)."""

from data import fashion_mnist_pairs
from modules.common.model_spec import Metric, ModelSpec
from modules.siamese import features

MODEL = ModelSpec(
    task="image-pair similarity: siamese network, contrastive loss (margin 1)",
    notes_result="none quoted; pair accuracy uses distance < 0.5 (the notes' > 0.5 is bug 142)",
    data_sources={"digits": fashion_mnist_pairs.digit_pairs_offline, "download": fashion_mnist_pairs.fashion_pairs_downloaded},
    gated_metric=Metric("BinaryAccuracy"),
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="same_probability",
    default_threshold=0.8,
    train_steps=500,
    eval_steps=4,
    full_train_steps=2800,  # the notes' 20 epochs of ~18,000 Fashion-MNIST pairs, batch 128
    example_format="tfrecord",
)
