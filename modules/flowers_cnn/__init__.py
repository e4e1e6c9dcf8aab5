"""The TF tutorial's flowers CNN with augmentation, rescaling and dropout (notes L3488-3737)."""

from data import flowers
from data.image_records import LABEL_KEY
from modules.common.features import transformed_name
from modules.common.model_spec import JPEG_MODEL_TFLITE_GAP, Metric, ModelSpec
from modules.common.signatures import SERVING_EXAMPLES

MODEL = ModelSpec(
    task="5-class flower photos: CNN with augmentation, rescaling and dropout (JPEG in)",
    notes_result="none quoted (the TF tutorial: ~0.7 validation accuracy after 15 epochs)",
    data_sources={"generated": flowers.flowers_generated, "download": flowers.flowers_downloaded},
    gated_metric=Metric("SparseCategoricalAccuracy"),
    label_key=transformed_name(LABEL_KEY),
    prediction_key="scores",
    eval_signature=SERVING_EXAMPLES,
    default_threshold=0.6,
    train_steps=60,
    eval_steps=2,
    full_train_steps=1380,  # the notes' 15 epochs of ~2,750 training photos, batch 32
    example_format="tfrecord",
    tflite_unsupported=JPEG_MODEL_TFLITE_GAP,
)
