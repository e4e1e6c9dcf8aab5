"""Two-head regression (Coursera custom models, notes L8597-8620) on energy efficiency data."""

from data import energy
from modules.common.model_spec import Metric, ModelSpec

MODEL = ModelSpec(
    task="two-head regression: heating and cooling load of buildings",
    data_sources={"generated": energy.generated, "download": energy.downloaded},
    gated_metric=Metric("RootMeanSquaredError", higher_is_better=False),
    reported_metrics=(Metric("MeanAbsoluteError", higher_is_better=False),),
    output_names=("y1_output", "y2_output"),
    default_threshold=3.0,
    train_steps=3000,
    eval_steps=20,
    full_train_steps=2000 * 58,  # the notes' 2000 epochs of ~576 rows in batches of 10
)
