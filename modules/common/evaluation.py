"""TFMA evaluation configs: slices, metrics, and the thresholds that gate blessing."""

from dataclasses import dataclass
from typing import Iterable, Mapping, Union

import tensorflow_model_analysis as tfma

from modules.common.export import SERVING_DEFAULT, TRANSFORM_FEATURES
from modules.common.model_spec import ModelSpec

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
            threshold=tfma.MetricThreshold(value_threshold=value, change_threshold=change),
        )


def make_eval_config(
    model: ModelSpec,
    threshold: float,
    max_regression: float,
    label_key: Union[str, Mapping[str, str]],
    prediction_key: Union[str, Mapping[str, str]],
    slice_feature_keys: Iterable[str] = (),
    signature_name: str = SERVING_DEFAULT,
) -> tfma.EvalConfig:
    """An EvalConfig for a model exported by `modules.common.export`, gated as `model` declares.

    The declared gated metric must pass `threshold` and regress at most `max_regression`
    against the baseline; the declared reported metrics and the example count are computed
    beside it. The label is read from the `transform_features` signature, so `label_key`
    names a transformed feature. For a multi-output model, `label_key` and `prediction_key`
    map each declared output name to its label and prediction, and every metric (with its
    thresholds) is computed per output. Slices: overall plus one per feature in
    `slice_feature_keys`. `signature_name` is the tf.Example signature TFMA calls on
    candidate and baseline alike: `serving_default` where that takes tf.Examples, so
    baselines pushed before `serving_examples` existed still evaluate; image models, whose
    default takes arrays, pass `serving_examples`.
    """
    multi_output = not isinstance(label_key, str)
    if multi_output:
        if sorted(label_key) != sorted(model.output_names):
            raise ValueError(f"labels for outputs {sorted(label_key)}, but the model declares {model.output_names}")
        model_spec = tfma.ModelSpec(label_keys=dict(label_key), prediction_keys=dict(prediction_key))
    else:
        model_spec = tfma.ModelSpec(label_key=label_key, prediction_key=prediction_key)
    model_spec.signature_name = signature_name
    model_spec.preprocessing_function_names.append(TRANSFORM_FEATURES)
    gated = GatedMetric(model.gated_metric.class_name, threshold, model.gated_metric.higher_is_better, max_regression)
    reported = [EXAMPLE_COUNT, *(metric.class_name for metric in model.reported_metrics)]
    return tfma.EvalConfig(
        model_specs=[model_spec],
        slicing_specs=[tfma.SlicingSpec()]
        + [tfma.SlicingSpec(feature_keys=[key]) for key in slice_feature_keys],
        metrics_specs=[
            tfma.MetricsSpec(
                metrics=[tfma.MetricConfig(class_name=name) for name in reported] + [gated.metric_config()],
                output_names=sorted(model.output_names),
            )
        ],
    )
