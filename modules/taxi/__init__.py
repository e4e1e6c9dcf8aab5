"""Chicago taxi tips: the notes' TFX Transform (notes L8060-8080) and a DNN classifier."""

from data import taxi
from modules.common.model_spec import Metric, ModelSpec
from modules.taxi import features

MODEL = ModelSpec(
    task="binary classification: did the tip exceed 20% of the fare (Chicago taxi)",
    notes_result="none quoted (TFX taxi blesses at 0.6 accuracy)",
    data_sources={"shared": taxi.shared, "download": taxi.downloaded},
    gated_metric=Metric("BinaryAccuracy"),
    reported_metrics=(Metric("AUC"),),
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="scores",
    slice_feature_keys=features.SLICE_FEATURE_KEYS,
    default_threshold=0.6,  # TFX's taxi example blesses at 0.6 accuracy too
    train_steps=1000,
    eval_steps=100,
    full_train_steps=10000,  # notes L8117: train_steps = 10000 (eval_steps = 5000)
)
