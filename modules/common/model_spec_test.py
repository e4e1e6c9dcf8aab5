"""The declaration's derived names must be the ones TFMA and the registry use."""

import importlib

import tensorflow as tf

from modules.common.model_spec import Metric, MetricKey, ModelSpec
from pipeline.models import MODELS


def test_metric_keys_are_the_names_tfma_writes():
    declared = {metric for spec in MODELS.values() for metric in (spec.gated_metric, *spec.reported_metrics)}
    assert {"AUC", "BinaryAccuracy", "SparseCategoricalAccuracy"} <= {metric.class_name for metric in declared}
    for metric in declared:
        defined_in = importlib.import_module(metric.module) if metric.module else tf.keras.metrics
        assert metric.key == getattr(defined_in, metric.class_name)().name, metric


def test_summary_metrics_start_with_the_gated_metric_per_output():
    spec = ModelSpec(
        task="t",
        data_sources={"s": lambda path: ""},
        gated_metric=Metric("RootMeanSquaredError", higher_is_better=False),
        reported_metrics=(Metric("MeanAbsoluteError", higher_is_better=False),),
        label_key={"b": "b_label", "a": "a_label"},
        prediction_key={"a": "a", "b": "b"},
        default_threshold=1.0,
        train_steps=1,
        eval_steps=1,
    )
    assert spec.summary_metrics == (
        MetricKey("root_mean_squared_error", "a"),
        MetricKey("root_mean_squared_error", "b"),
        MetricKey("mean_absolute_error", "a"),
        MetricKey("mean_absolute_error", "b"),
    )
