"""MobileNetV2 transfer learning and fine-tuning on cats vs dogs (notes L7332-7572)."""

from data import cats_and_dogs
from data.image_records import LABEL_KEY
from modules.common.features import transformed_name
from modules.common.model_spec import JPEG_MODEL_TFLITE_GAP, Metric, ModelSpec

MODEL = ModelSpec(
    task="cats vs dogs: MobileNetV2 transfer learning, then fine-tuning from layer 100",
    notes_result="none quoted (the TF tutorial: ~95% before fine-tuning, ~98% after)",
    data_sources={"generated": cats_and_dogs.cats_and_dogs_generated, "download": cats_and_dogs.cats_and_dogs_downloaded},
    gated_metric=Metric("BinaryAccuracy"),
    reported_metrics=(Metric("AUC"),),
    label_key=transformed_name(LABEL_KEY),
    prediction_key="scores",
    default_threshold=0.5,
    train_steps=8,
    eval_steps=1,
    full_train_steps=1260,  # the notes' 10 + 10 epochs of ~2,250 training photos, batch 32
    example_format="tfrecord",
    tflite_unsupported=JPEG_MODEL_TFLITE_GAP,
)
