"""Custom Huber loss (notes L8716-8734) on the TF Serving hello-world line, with outliers."""

from data import synthetic
from modules.common.model_spec import Metric, ModelSpec
from modules.huber_regression import features

MODEL = ModelSpec(
    task="regression with the notes' custom Huber loss, y = 2x - 1 with outliers",
    notes_result="none quoted; y = 2x - 1, so predict(10) = 19",
    data_sources={"generated": synthetic.huber_line},
    gated_metric=Metric("MeanAbsoluteError", higher_is_better=False),
    reported_metrics=(Metric("RootMeanSquaredError", higher_is_better=False),),
    # 5% outliers of +15..25 put a perfect line's MAE near 1.1; an MSE fit is far worse.
    label_key=features.TRANSFORMED_LABEL_KEY,
    prediction_key="predictions",
    default_threshold=1.5,
    # Huber's gradient is bounded, so SGD(0.01) needs more full-batch steps than the
    # notes' 500 epochs on six points to converge.
    train_steps=2000,
    eval_steps=1,
)
