"""Two-head regression (Coursera custom models, notes L8597-8620) on energy efficiency data."""

from data import energy
from modules.common.model_spec import Metric, ModelSpec
from modules.multi_output_regression import features

MODEL = ModelSpec(
    task="two-head regression: heating and cooling load of buildings",
    data_sources={"generated": energy.generated, "download": energy.downloaded},
    gated_metric=Metric("RootMeanSquaredError", higher_is_better=False),
    reported_metrics=(Metric("MeanAbsoluteError", higher_is_better=False),),
    label_key=features.OUTPUT_LABELS,
    prediction_key={name: name for name in features.OUTPUT_LABELS},
    default_threshold=3.0,
    train_steps=3000,
    eval_steps=20,
    full_train_steps=2000 * 58,  # the notes' 2000 epochs of ~576 rows in batches of 10
)
