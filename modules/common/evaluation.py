"""TFMA evaluation configs: slices, metrics, and the thresholds that gate blessing."""

from dataclasses import dataclass

import tensorflow_model_analysis as tfma

from modules.common.model_spec import Metric, ModelSpec
from modules.common.signatures import TRANSFORM_FEATURES

# A change threshold of exactly 0 would reject a model equal to its baseline because of
# float noise in the metric; this much slack is far below any meaningful difference.
CHANGE_EPSILON = 1e-10
EXAMPLE_COUNT = "ExampleCount"


@dataclass(frozen=True)
class GatedMetric:
    """A TFMA metric that must pass a value bound, and must not regress against the baseline.

    `bound` is a lower bound when higher is better, an upper bound otherwise.
    `max_regression` is how much worse than the baseline it may be (0: not worse).
    """

    class_name: str
    bound: float
    higher_is_better: bool = True
    max_regression: float = 0.0
    module: str = ""

    def metric_config(self) -> tfma.MetricConfig:
        if self.higher_is_better:
            value = tfma.GenericValueThreshold(lower_bound={"value": self.bound})
            change = tfma.GenericChangeThreshold(
                direction=tfma.MetricDirection.HIGHER_IS_BETTER,
                absolute={"value": -self.max_regression - CHANGE_EPSILON},
            )
        else:
            value = tfma.GenericValueThreshold(upper_bound={"value": self.bound})
            change = tfma.GenericChangeThreshold(
                direction=tfma.MetricDirection.LOWER_IS_BETTER,
                absolute={"value": self.max_regression + CHANGE_EPSILON},
            )
        return tfma.MetricConfig(
            class_name=self.class_name,
            module=self.module,
            threshold=tfma.MetricThreshold(value_threshold=value, change_threshold=change),
        )


def make_eval_config(model: ModelSpec, threshold: float, max_regression: float) -> tfma.EvalConfig:
    """An EvalConfig for a model exported by `modules.common.export`, as `model` declares it.

    The declared gated metric must pass `threshold` and regress at most `max_regression`
    against the baseline; the declared reported metrics and the example count are computed
    beside it, overall and per value of each declared slice feature. The label is read
    through the `transform_features` signature, so it names a transformed feature.
    """
    if model.output_names:
        model_spec = tfma.ModelSpec(label_keys=dict(model.label_key), prediction_keys=dict(model.prediction_key))
    else:
        model_spec = tfma.ModelSpec(label_key=model.label_key, prediction_key=model.prediction_key)
    model_spec.signature_name = model.eval_signature
    model_spec.preprocessing_function_names.append(TRANSFORM_FEATURES)
    gated_metric = model.gated_metric
    gated = GatedMetric(
        gated_metric.class_name, threshold, gated_metric.higher_is_better, max_regression, gated_metric.module
    )
    reported = [Metric(EXAMPLE_COUNT), *model.reported_metrics]
    return tfma.EvalConfig(
        model_specs=[model_spec],
        slicing_specs=[tfma.SlicingSpec()]
        + [tfma.SlicingSpec(feature_keys=[key]) for key in model.slice_feature_keys],
        metrics_specs=[
            tfma.MetricsSpec(
                metrics=[tfma.MetricConfig(class_name=metric.class_name, module=metric.module) for metric in reported]
                + [gated.metric_config()],
                output_names=list(model.output_names),
            )
        ],
    )
