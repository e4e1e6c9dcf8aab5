"""The siamese network with contrastive loss (Coursera custom models, notes L8622-8714)."""

from data import fashion_mnist_pairs
from modules.common.model_spec import Metric, ModelSpec
from modules.siamese import features

MODEL = ModelSpec(
    task="image-pair similarity: siamese network, contrastive loss (margin 1)",
    notes_result="none quoted (the course lab trains on Fashion-MNIST pairs); pair accuracy uses distance < 0.5 (the notes' > 0.5 is bug 142)",
    data_sources={
        "shared": fashion_mnist_pairs.shared_pairs,
        "download": fashion_mnist_pairs.fashion_pairs_downloaded,
        "digits": fashion_mnist_pairs.digit_pairs_offline,
    },
    gated_metric=Metric("BinaryAccuracy"),
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="same_probability",
    default_threshold=0.8,
    train_steps=500,
    eval_steps=4,
    full_train_steps=2340,  # the notes' 20 epochs of the ~15,000 training pairs (3/4 of 19,980), batch 128
    example_format="tfrecord",
)
