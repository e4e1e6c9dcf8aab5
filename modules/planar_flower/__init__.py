"""The shallow planar classifier (Coursera DL1 week 3, notes L1734-1877)."""

from data import synthetic
from modules.common.model_spec import Metric, ModelSpec
from modules.planar_flower import features

MODEL = ModelSpec(
    task="binary classification of the 2-D 'flower' (shallow NN, 4 tanh units)",
    notes_result="90% training accuracy (L1876); logistic regression 47% (L1758)",
    data_sources={"generated": synthetic.planar_flower},
    gated_metric=Metric("BinaryAccuracy"),
    reported_metrics=(Metric("AUC"),),
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="scores",
    default_threshold=0.88,
    train_steps=10000,
    eval_steps=1,
)
