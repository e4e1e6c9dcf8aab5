"""Reads the Evaluator's output: the summary metrics per slice, failed thresholds, the blessing.

The run summary, `inspect compare`, the report and the benchmarks show evaluations through
this one reader.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from modules.common.model_spec import MetricKey


@dataclass
class SliceMetrics:
    """The summary metrics on one slice: {label: (candidate value, baseline value or None)}."""

    slice_name: str
    example_count: int
    values: Dict[str, tuple] = field(default_factory=dict)


@dataclass
class Evaluation:
    metric_labels: List[str]
    slices: List[SliceMetrics]
    blessed: bool
    failures: List[str] = field(default_factory=list)


def _slice_name(slice_key) -> str:
    parts = []
    for single in slice_key.single_slice_keys:
        kind = single.WhichOneof("kind")
        value = getattr(single, kind)
        parts.append(f"{single.column}={value.decode() if isinstance(value, bytes) else value}")
    return ", ".join(parts) or "overall"


def _slice_order(item: "SliceMetrics") -> tuple:
    """Overall first, then by column, numbers in numeric order (hour 2 before hour 10)."""
    column, _, value = item.slice_name.partition("=")
    number = float(value) if value.lstrip("-").replace(".", "", 1).isdigit() else float("inf")
    return (item.slice_name != "overall", column, number, value)


def _failure_text(slice_key, failure) -> str:
    key = MetricKey(failure.metric_key.name, failure.metric_key.output_name)
    change = " change vs baseline" if failure.metric_key.is_diff else ""
    return (
        f"{_slice_name(slice_key)}: {key.label}{change} = "
        f"{failure.metric_value.double_value.value:.4f} fails {_threshold_text(failure.metric_threshold)}"
    )


def read_evaluation(evaluation_uri: str, blessing_uri: str, metric_keys: List[MetricKey]) -> Evaluation:
    """The summary metrics per slice and the validation outcome written by the Evaluator."""
    import tensorflow_model_analysis as tfma  # heavy; only needed once a run evaluated

    slices = []
    for metrics in tfma.load_metrics(evaluation_uri):
        found: Dict[tuple, float] = {}
        for item in metrics.metric_keys_and_values:
            key = (item.key.name, item.key.output_name, item.key.model_name, item.key.is_diff)
            found[key] = item.value.double_value.value

        def value(name: str, output: str, model: str) -> Optional[float]:
            exact = found.get((name, output, model, False))
            if exact is None and model == "candidate":
                return found.get((name, output, "", False))  # no baseline: the model is unnamed
            return exact

        # Multi-output models count examples per output; all outputs see the same examples.
        count = value("example_count", "", "candidate") or value("example_count", metric_keys[0].output, "candidate")
        item = SliceMetrics(_slice_name(metrics.slice_key), int(count or 0))
        for key in metric_keys:
            candidate = value(key.name, key.output, "candidate")
            if candidate is not None:
                item.values[key.label] = (candidate, value(key.name, key.output, "baseline"))
        if item.values:
            slices.append(item)
    slices.sort(key=_slice_order)
    validation = tfma.load_validation_result(evaluation_uri)
    failures = [
        _failure_text(per_slice.slice_key, failure)
        for per_slice in validation.metric_validations_per_slice
        for failure in per_slice.failures
    ]
    blessed = (Path(blessing_uri) / "BLESSED").exists()
    return Evaluation([key.label for key in metric_keys], slices, blessed, failures)


def metric_keys_in(evaluation_uri: str) -> List[MetricKey]:
    """Every candidate metric the Evaluator wrote but example_count, for readers that do not
    know which model the run trained (e.g. `inspect compare` over any store)."""
    import tensorflow_model_analysis as tfma

    keys: List[MetricKey] = []
    for metrics in tfma.load_metrics(evaluation_uri):
        for item in metrics.metric_keys_and_values:
            key = MetricKey(item.key.name, item.key.output_name)
            if item.key.name != "example_count" and not item.key.is_diff and item.key.model_name != "baseline":
                keys += [key] if key not in keys else []
    return keys


def _threshold_text(threshold) -> str:
    if threshold.HasField("value_threshold"):
        bounds = threshold.value_threshold
        if bounds.HasField("lower_bound"):
            return f"lower bound {bounds.lower_bound.value:g}"
        return f"upper bound {bounds.upper_bound.value:g}"
    change = threshold.change_threshold
    return f"allowed change {change.absolute.value:+.4g}"
