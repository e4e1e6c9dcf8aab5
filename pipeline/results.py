"""Reads what a run did out of ML Metadata: node states, evaluation, blessing, push.

Everything the summary prints comes from the metadata store and the artifacts it
points to, never from the runner's own bookkeeping, so the summary reports what was
recorded.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from ml_metadata import metadata_store
from ml_metadata.proto import metadata_store_pb2

NODE_CONTEXT_TYPE = "node"
RUN_CONTEXT_TYPE = "pipeline_run"
# States of a node whose outputs can be read (CACHED: a previous run's outputs, reused).
FINISHED_STATES = ("COMPLETE", "CACHED")
State = metadata_store_pb2.Execution.State


def open_store(connection_config: metadata_store_pb2.ConnectionConfig) -> metadata_store.MetadataStore:
    return metadata_store.MetadataStore(connection_config)


def state_name(execution: metadata_store_pb2.Execution) -> str:
    return State.Name(execution.last_known_state)


def max_execution_id(store: metadata_store.MetadataStore) -> int:
    """Highest execution id so far; executions of a later run all have higher ids."""
    executions = store.get_executions(
        list_options=metadata_store.ListOptions(limit=1, order_by=metadata_store.OrderByField.ID, is_asc=False)
    )
    return executions[0].id if executions else 0


def latest_node_execution(
    store: metadata_store.MetadataStore, pipeline_name: str, node_id: str, after_id: int = 0
) -> Optional[metadata_store_pb2.Execution]:
    """The newest execution of `node_id` with an id above `after_id`, if any."""
    context = store.get_context_by_type_and_name(NODE_CONTEXT_TYPE, f"{pipeline_name}.{node_id}")
    if context is None:
        return None
    executions = [e for e in store.get_executions_by_context(context.id) if e.id > after_id]
    return max(executions, key=lambda e: e.id, default=None)


def output_artifacts(
    store: metadata_store.MetadataStore, execution_id: int
) -> Dict[str, List[metadata_store_pb2.Artifact]]:
    """An execution's output artifacts, by output key."""
    events = [
        e
        for e in store.get_events_by_execution_ids([execution_id])
        if e.type in (metadata_store_pb2.Event.OUTPUT, metadata_store_pb2.Event.DECLARED_OUTPUT)
    ]
    artifacts = {a.id: a for a in store.get_artifacts_by_id([e.artifact_id for e in events])}
    outputs: Dict[str, List[metadata_store_pb2.Artifact]] = {}
    for event in events:
        key = event.path.steps[0].key if event.path.steps else ""
        outputs.setdefault(key, []).append(artifacts[event.artifact_id])
    return outputs


def run_id_of(store: metadata_store.MetadataStore, execution_id: int) -> Optional[str]:
    run_type = store.get_context_type(RUN_CONTEXT_TYPE)
    for context in store.get_contexts_by_execution(execution_id):
        if context.type_id == run_type.id:
            return context.name
    return None


@dataclass(frozen=True)
class MetricKey:
    """A metric as TFMA names it in its output: `name`, and `output` for multi-output models."""

    name: str
    output: str = ""

    @property
    def label(self) -> str:
        return f"{self.output}/{self.name}" if self.output else self.name


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


def read_anomalies(anomalies_uri: str) -> Dict[str, List[str]]:
    """ExampleValidator's findings per split: ["feature: short description", ...]."""
    from tensorflow_metadata.proto.v0 import anomalies_pb2

    found: Dict[str, List[str]] = {}
    for path in sorted(Path(anomalies_uri).glob("Split-*/SchemaDiff.pb")):
        anomalies = anomalies_pb2.Anomalies.FromString(path.read_bytes())
        messages = [f"{name}: {info.short_description}" for name, info in sorted(anomalies.anomaly_info.items())]
        if anomalies.HasField("dataset_anomaly_info"):
            messages.append(f"dataset: {anomalies.dataset_anomaly_info.short_description}")
        if messages:
            found[path.parent.name.removeprefix("Split-")] = messages
    return found


def newest_version(serving_model_dir: Path) -> Optional[Path]:
    """The highest integer version directory with a complete SavedModel, if any."""
    versions = [
        p for p in serving_model_dir.glob("*") if p.name.isdigit() and (p / "saved_model.pb").exists()
    ]
    return max(versions, key=lambda p: int(p.name), default=None)
