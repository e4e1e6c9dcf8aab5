"""D2L concise linear regression (notes L3-139) as a TFX pipeline."""

from data import synthetic
from modules.common.model_spec import Metric, ModelSpec
from modules.linear_regression import features

MODEL = ModelSpec(
    task="regression, y = Xw + b (D2L concise linear regression)",
    notes_result="none quoted; weights should be recovered (D2L: loss ~1e-4)",
    data_sources={"generated": synthetic.linear_regression},
    gated_metric=Metric("RootMeanSquaredError", higher_is_better=False),
    reported_metrics=(Metric("MeanAbsoluteError", higher_is_better=False),),
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="predictions",
    default_threshold=0.05,  # the generator's noise is 0.01
    train_steps=300,
    eval_steps=25,
)
