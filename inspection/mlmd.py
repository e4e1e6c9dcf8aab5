"""The one reader of ML Metadata: a run's node executions and outputs, and read-only views of
a whole store (runs, artifacts, lineage, run comparisons, pushes).

They rely only on what TFX records (contexts, executions, events and their properties),
so they work on any store this project's runs wrote: cached, failed or still running
runs included, and without knowing which model a run trained. The run summary reads the
run it just did (`latest_node_execution`, `output_artifacts`); `python -m pipeline
inspect` prints the views (`inspection/cli.py`) and `python -m pipeline report` renders
one run (`inspection/report.py`).
"""

import datetime
import json
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from google.protobuf import json_format
from ml_metadata import metadata_store
from ml_metadata.proto import metadata_store_pb2

from components.data_findings import GATE_PROPERTY
from inspection.evaluation import Evaluation, metric_keys_in, read_evaluation
from inspection.records import (
    ArtifactInfo,
    Change,
    Comparison,
    Lineage,
    LineageStep,
    NodeRun,
    PushedVersion,
    Run,
)

NODE_CONTEXT_TYPE = "node"
RUN_CONTEXT_TYPE = "pipeline_run"
# States of a node whose outputs can be read (CACHED: a previous run's outputs, reused).
FINISHED_STATES = ("COMPLETE", "CACHED")
State = metadata_store_pb2.Execution.State
INPUT_EVENTS = (metadata_store_pb2.Event.INPUT, metadata_store_pb2.Event.DECLARED_INPUT)
OUTPUT_EVENTS = (metadata_store_pb2.Event.OUTPUT, metadata_store_pb2.Event.DECLARED_OUTPUT)


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
    ids = artifact_ids_by_key(store.get_events_by_execution_ids([execution_id]), execution_id, OUTPUT_EVENTS)
    artifacts = {a.id: a for a in store.get_artifacts_by_id([i for group in ids.values() for i in group])}
    return {key: [artifacts[i] for i in group] for key, group in ids.items()}


def artifact_ids_by_key(
    events: Iterable[metadata_store_pb2.Event], execution_id: int, kinds: Tuple[int, ...]
) -> Dict[str, List[int]]:
    """The artifact ids of `execution_id`'s events of these kinds, by input or output key."""
    grouped: Dict[str, List[int]] = {}
    for event in events:
        if event.execution_id == execution_id and event.type in kinds:
            grouped.setdefault(event.path.steps[0].key if event.path.steps else "", []).append(event.artifact_id)
    return grouped


def node_id_of(store: metadata_store.MetadataStore, pipeline_name: str, execution_id: int) -> str:
    """The node (e.g. `Trainer`) an execution of `pipeline_name` ran."""
    node_type = store.get_context_type(NODE_CONTEXT_TYPE)
    for context in store.get_contexts_by_execution(execution_id):
        if context.type_id == node_type.id:
            return _node_name(context.name, [pipeline_name])
    return f"execution {execution_id}"


def run_id_of(store: metadata_store.MetadataStore, execution_id: int) -> Optional[str]:
    run_type = store.get_context_type(RUN_CONTEXT_TYPE)
    for context in store.get_contexts_by_execution(execution_id):
        if context.type_id == run_type.id:
            return context.name
    return None



PIPELINE_CONTEXT_TYPE = "pipeline"
EXAMPLES_TYPE = "Examples"
PUSHED_MODEL_TYPE = "PushedModel"
MODEL_BLESSING_TYPE = "ModelBlessing"
# Model, and custom model types such as the TFLite exporter's `tfx_pipeline.TFLiteModel`.
MODEL_TYPE_SUFFIX = "Model"
# ExampleGen records these on its execution only when it reads the data, not when it is
# cached; the Examples artifact carries them either way, so they are compared from there.
DATA_PROPERTIES = ("span", "input_fingerprint")
# Execution properties that name the code a node ran rather than how it was configured.
CODE_PROPERTIES = ("code_version", "run_fn", "preprocessing_fn", "module_file", "module_path")
# A resolver hands artifacts on without producing them.
PRODUCING_EVENTS = OUTPUT_EVENTS + (metadata_store_pb2.Event.INTERNAL_OUTPUT,)


def local_time(milliseconds: int) -> str:
    """An MLMD timestamp (ms since the epoch) as local ISO time to the second."""
    return datetime.datetime.fromtimestamp(milliseconds / 1000).isoformat(timespec="seconds")


def plain_value(value: metadata_store_pb2.Value) -> Any:
    """A property's value as a Python int, float, str, bool or dict."""
    kind = value.WhichOneof("value")
    if kind == "struct_value":
        return json_format.MessageToDict(value.struct_value)
    if kind == "proto_value":
        return value.proto_value.type_url
    return getattr(value, kind) if kind else None


def properties_of(item: Any) -> Dict[str, Any]:
    """An artifact's or execution's properties and custom properties as plain values."""
    found = {name: plain_value(value) for name, value in item.properties.items()}
    found.update({name: plain_value(value) for name, value in item.custom_properties.items()})
    return found


def flatten(value: Any, prefix: str = "") -> Dict[str, Any]:
    """Nested dicts and lists (and JSON text holding them) as {"a.b[0].c": leaf}.

    TFX stores proto-valued parameters (train_args, eval_config, ...) as JSON strings;
    flattening them lets a comparison name the one field that changed.
    """
    if isinstance(value, str) and value[:1] in "{[":
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            pass
    if isinstance(value, dict) and value:
        flat: Dict[str, Any] = {}
        for key in sorted(value):
            flat.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and value:
        flat = {}
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}[{index}]"))
        return flat
    return {prefix: value}


class StoreView:
    """One store's contexts, executions, artifacts and events, read once per command."""

    def __init__(self, store: metadata_store.MetadataStore, description: str) -> None:
        self.store = store
        self.description = description
        self.executions = {e.id: e for e in store.get_executions()}
        self.artifacts = {a.id: a for a in store.get_artifacts()}
        self.events = store.get_events_by_execution_ids(list(self.executions)) if self.executions else []
        self._events_of: Dict[int, List[metadata_store_pb2.Event]] = {}
        for event in self.events:
            self._events_of.setdefault(event.execution_id, []).append(event)
        self._artifact_types = {t.id: t.name for t in store.get_artifact_types()}
        self._execution_types = {t.id: t.name for t in store.get_execution_types()}
        context_types = {t.id: t.name for t in store.get_context_types()}
        self.node_of: Dict[int, str] = {}
        self.run_of: Dict[int, metadata_store_pb2.Context] = {}
        self.pipeline_of: Dict[int, str] = {}
        contexts = store.get_contexts()
        pipeline_names = [c.name for c in contexts if context_types[c.type_id] == PIPELINE_CONTEXT_TYPE]
        self.run_contexts = sorted(
            (c for c in contexts if context_types[c.type_id] == RUN_CONTEXT_TYPE), key=lambda c: c.id
        )
        for context in contexts:
            kind = context_types[context.type_id]
            if kind not in (NODE_CONTEXT_TYPE, RUN_CONTEXT_TYPE, PIPELINE_CONTEXT_TYPE):
                continue  # e.g. TFX's execution_cache contexts
            for execution in store.get_executions_by_context(context.id):
                if kind == NODE_CONTEXT_TYPE:
                    self.node_of[execution.id] = _node_name(context.name, pipeline_names)
                elif kind == RUN_CONTEXT_TYPE:
                    self.run_of[execution.id] = context
                elif kind == PIPELINE_CONTEXT_TYPE:
                    self.pipeline_of[execution.id] = context.name

    # -- runs -----------------------------------------------------------------

    def runs(self) -> List[Run]:
        """Every run in the store, oldest first."""
        return [self._run(context) for context in self.run_contexts]

    def _run(self, context: metadata_store_pb2.Context) -> Run:
        executions = sorted(
            (e for e in self.executions.values() if self.run_of.get(e.id) == context), key=lambda e: e.id
        )
        nodes = [
            NodeRun(
                node=self.node_of.get(e.id, self._execution_types[e.type_id]),
                execution_id=e.id,
                state=state_name(e),
                started=local_time(e.create_time_since_epoch),
                seconds=(e.last_update_time_since_epoch - e.create_time_since_epoch) / 1000,
            )
            for e in executions
        ]
        first = min((e.create_time_since_epoch for e in executions), default=context.create_time_since_epoch)
        last = max((e.last_update_time_since_epoch for e in executions), default=first)
        pipeline = self.pipeline_of.get(executions[0].id, "") if executions else ""
        run = Run(context.id, context.name, pipeline, local_time(first), (last - first) / 1000, nodes)
        examples = self.examples_of(run)
        run.span = examples.properties.get("span") if examples else None
        anomalies = self.run_output(run, "anomalies")
        run.gate = properties_of(anomalies).get(GATE_PROPERTY) if anomalies else None
        return run

    def find_run(self, reference: Optional[str]) -> Run:
        """A run by id (as `inspect runs` lists it) or by name; the latest when None."""
        if not self.run_contexts:
            raise ValueError(f"no runs recorded in {self.description}")
        if reference is None or reference == "latest":
            return self._run(self.run_contexts[-1])
        for context in self.run_contexts:
            if reference in (str(context.id), context.name):
                return self._run(context)
        known = ", ".join(str(c.id) for c in self.run_contexts)
        raise ValueError(f"no run {reference!r} in {self.description}; run ids: {known} (see `inspect runs`)")

    def run_edges(self, run: Run) -> List[Tuple[str, str]]:
        """(producer node, consumer node) for each artifact that passed between them in `run`."""
        in_run = {node.execution_id: node.node for node in run.nodes}
        producers: Dict[int, List[str]] = {}
        for event in self.events:
            if event.execution_id in in_run and event.type in PRODUCING_EVENTS:
                producers.setdefault(event.artifact_id, []).append(in_run[event.execution_id])
        edges = []
        for event in self.events:
            if event.execution_id in in_run and event.type in INPUT_EVENTS:
                for producer in producers.get(event.artifact_id, []):
                    edge = (producer, in_run[event.execution_id])
                    if edge not in edges and producer != edge[1]:
                        edges.append(edge)
        return edges

    # -- artifacts ------------------------------------------------------------

    def artifact_type(self, artifact: metadata_store_pb2.Artifact) -> str:
        return self._artifact_types[artifact.type_id]

    def artifact_info(self, artifact_id: int) -> ArtifactInfo:
        artifact = self.artifacts.get(artifact_id)
        if artifact is None:
            known = f"ids 1 to {max(self.artifacts)}" if self.artifacts else "none"
            raise ValueError(f"no artifact {artifact_id} in {self.description} (artifacts: {known})")
        producer = self.producer_of(artifact_id)
        run = self.run_of.get(producer) if producer else None
        return ArtifactInfo(
            id=artifact.id,
            type=self.artifact_type(artifact),
            uri=artifact.uri,
            node=self.node_of.get(producer) if producer else None,
            run=run.name if run else None,
            run_id=run.id if run else None,
            properties=properties_of(artifact),
        )

    def artifact_infos(self, type_name: Optional[str] = None) -> List[ArtifactInfo]:
        """Every artifact, or those of one type (an unknown type is an error naming the known ones)."""
        types = sorted({self.artifact_type(a) for a in self.artifacts.values()})
        if type_name is not None and type_name not in types:
            raise ValueError(f"no artifacts of type {type_name!r} in {self.description}; types: {', '.join(types)}")
        return [
            self.artifact_info(artifact_id)
            for artifact_id, artifact in sorted(self.artifacts.items())
            if type_name is None or self.artifact_type(artifact) == type_name
        ]

    def producer_of(self, artifact_id: int) -> Optional[int]:
        """The execution that first output the artifact (a cached rerun outputs it again)."""
        producers = [e.execution_id for e in self.events if e.artifact_id == artifact_id and e.type in OUTPUT_EVENTS]
        return min(producers, default=None)

    def _step(self, execution_id: int) -> LineageStep:
        run = self.run_of.get(execution_id)
        return LineageStep(
            execution_id=execution_id,
            node=self.node_of.get(execution_id, self._execution_types[self.executions[execution_id].type_id]),
            run=run.name if run else None,
            state=state_name(self.executions[execution_id]),
            inputs=artifact_ids_by_key(self._events_of.get(execution_id, []), execution_id, INPUT_EVENTS),
            outputs=artifact_ids_by_key(self._events_of.get(execution_id, []), execution_id, OUTPUT_EVENTS),
        )

    # -- lineage --------------------------------------------------------------

    def lineage(self, artifact_id: int) -> Lineage:
        """Walks events upstream to ExampleGen's input and downstream to the pushed versions."""
        self.artifact_info(artifact_id)  # an unknown id fails here, naming it
        upstream = self._walk(artifact_id, self._producers_step)
        downstream = self._walk(artifact_id, self._consumer_steps)
        ids = {artifact_id}
        for step in upstream + downstream:
            for group in list(step.inputs.values()) + list(step.outputs.values()):
                ids.update(group)
        artifacts = {i: self.artifact_info(i) for i in sorted(ids)}
        return Lineage(
            artifact_id=artifact_id,
            upstream=upstream,
            downstream=downstream,
            artifacts=artifacts,
            input_data=self._input_data(upstream, artifacts),
            served=[
                self._served(artifacts[i])
                for i in sorted({artifact_id} | set(self._ids(downstream)))
                if artifacts[i].type == PUSHED_MODEL_TYPE and artifacts[i].properties.get("pushed") == 1
            ],
        )

    def _producers_step(self, artifact_id: int) -> List[Tuple[LineageStep, List[int]]]:
        producer = self.producer_of(artifact_id)
        if producer is None:
            return []
        step = self._step(producer)
        return [(step, [i for group in step.inputs.values() for i in group])]

    def _consumer_steps(self, artifact_id: int) -> List[Tuple[LineageStep, List[int]]]:
        consumers = sorted(
            {e.execution_id for e in self.events if e.artifact_id == artifact_id and e.type in INPUT_EVENTS}
        )
        steps = [self._step(consumer) for consumer in consumers]
        return [(step, [i for group in step.outputs.values() for i in group]) for step in steps]

    @staticmethod
    def _walk(start: int, next_steps: Callable[[int], List[Tuple[LineageStep, List[int]]]]) -> List[LineageStep]:
        """Breadth-first over `next_steps(artifact) -> [(step, artifacts to follow)]`, nearest first."""
        seen_steps: Dict[int, LineageStep] = {}
        seen_artifacts = {start}
        queue = [start]
        while queue:
            artifact_id = queue.pop(0)
            for step, following in next_steps(artifact_id):
                if step.execution_id in seen_steps:
                    continue
                seen_steps[step.execution_id] = step
                for next_id in following:
                    if next_id not in seen_artifacts:
                        seen_artifacts.add(next_id)
                        queue.append(next_id)
        return list(seen_steps.values())

    def _input_data(self, upstream: List[LineageStep], artifacts: Dict[int, ArtifactInfo]) -> List[Dict[str, Any]]:
        found = []
        for step in upstream:
            input_base = properties_of(self.executions[step.execution_id]).get("input_base")
            if input_base is None:
                continue
            for examples_id in (i for group in step.outputs.values() for i in group):
                info = artifacts[examples_id]
                if info.type == EXAMPLES_TYPE:
                    found.append(
                        {"input_base": input_base, "examples_id": examples_id}
                        | {name: info.properties.get(name) for name in DATA_PROPERTIES}
                    )
        return found

    def _served(self, pushed: ArtifactInfo) -> Dict[str, Any]:
        return {
            "version": pushed.properties.get("pushed_version"),
            "destination": pushed.properties.get("pushed_destination"),
            "reused": pushed.properties.get("reused_version") == 1,
            "run": pushed.run,
            "run_id": pushed.run_id,
            "pushed_model_id": pushed.id,
        }

    def examples_of(self, run: Run) -> Optional[ArtifactInfo]:
        """The Examples artifact ExampleGen output in `run` (cached or freshly read)."""
        for node in run.nodes:
            if "input_base" in properties_of(self.executions[node.execution_id]):
                outputs = self._step(node.execution_id).outputs
                for artifact_id in (i for group in outputs.values() for i in group):
                    if self.artifact_type(self.artifacts[artifact_id]) == EXAMPLES_TYPE:
                        return self.artifact_info(artifact_id)
        return None

    def run_output(self, run: Run, key: str) -> Optional[metadata_store_pb2.Artifact]:
        """The first artifact a finished node of `run` output under `key` (e.g. "statistics")."""
        for node in run.nodes:
            if node.state in FINISHED_STATES:
                ids = self._step(node.execution_id).outputs.get(key)
                if ids:
                    return self.artifacts[ids[0]]
        return None

    # -- pushes ---------------------------------------------------------------

    def pushed_versions(self) -> List[PushedVersion]:
        """Every PushedModel that served a version (new or reused), oldest first.

        The model and its blessing are the nearest ones upstream, so a pusher that reads
        another pusher's output (the TFLite pusher) still names its own model and blessing.
        """
        pushed = []
        for info in self.artifact_infos():
            if info.type != PUSHED_MODEL_TYPE or info.properties.get("pushed") != 1:
                continue
            served = self._served(info)
            upstream = self._walk(info.id, self._producers_step)
            inputs = [self.artifact_info(i) for step in upstream for group in step.inputs.values() for i in group]
            model = next((a for a in inputs if a.type.endswith(MODEL_TYPE_SUFFIX) and a.type != PUSHED_MODEL_TYPE), None)
            blessing = next((a for a in inputs if a.type == MODEL_BLESSING_TYPE), None)
            pushed.append(
                PushedVersion(
                    version=str(served["version"]),
                    destination=str(served["destination"]),
                    on_disk=Path(str(served["destination"])).is_dir(),
                    reused=served["reused"],
                    pusher=info.node,
                    run=info.run,
                    run_id=info.run_id,
                    pushed_model_id=info.id,
                    model_id=model.id if model else None,
                    model_type=model.type if model else None,
                    blessed=blessing.properties.get("blessed") == 1 if blessing else None,
                    input_data=self._input_data(upstream, {i: self.artifact_info(i) for i in self._ids(upstream)}),
                )
            )
        return pushed

    @staticmethod
    def _ids(steps: Iterable[LineageStep]) -> List[int]:
        return sorted({i for step in steps for group in step.outputs.values() for i in group})

    # -- comparison -----------------------------------------------------------

    def parameters(self, run: Run) -> Dict[Tuple[str, str], Any]:
        """{(node, flattened property): value} for every node of `run`."""
        found: Dict[Tuple[str, str], Any] = {}
        for node in run.nodes:
            properties = properties_of(self.executions[node.execution_id])
            for name in DATA_PROPERTIES:
                properties.pop(name, None)
            for key, value in flatten(properties).items():
                found[(node.node, key)] = value
        return found

    def compare(self, first: Run, second: Run) -> Comparison:
        """Evaluation per slice for both runs, and each data, code and parameter change."""
        changes = self._data_changes(first, second)
        before, after = self.parameters(first), self.parameters(second)
        for node, key in sorted(set(before) | set(after)):
            old, new = before.get((node, key)), after.get((node, key))
            if old != new and first.node(node) and second.node(node):  # a missing node shows in its state
                section = "code" if key.rsplit(".", 1)[-1] in CODE_PROPERTIES else "parameters"
                changes.append(Change(section, node, key, old, new))
        evaluations = [self.evaluation(run) for run in (first, second)]
        labels: List[str] = []
        for evaluation in evaluations:
            labels += [label for label in (evaluation.metric_labels if evaluation else []) if label not in labels]
        slices: Dict[str, List[Optional[Tuple[int, Dict[str, float]]]]] = {}
        for side, evaluation in enumerate(evaluations):
            for item in evaluation.slices if evaluation else []:
                slot = slices.setdefault(item.slice_name, [None, None])
                slot[side] = (item.example_count, {label: values[0] for label, values in item.values.items()})
        blessed = tuple(evaluation.blessed if evaluation else None for evaluation in evaluations)
        return Comparison(
            (first, second), labels, {name: tuple(sides) for name, sides in slices.items()}, blessed, changes
        )

    def _data_changes(self, first: Run, second: Run) -> List[Change]:
        examples = [self.examples_of(run) for run in (first, second)]
        node = next((n.node for n in first.nodes if "ExampleGen" in n.node), "ExampleGen")
        changes = []
        if examples[0] is None or examples[1] is None or examples[0].id != examples[1].id:
            ids = [info.id if info else None for info in examples]
            changes.append(Change("data", node, "examples artifact", ids[0], ids[1]))
        for name in DATA_PROPERTIES:
            values = [info.properties.get(name) if info else None for info in examples]
            if values[0] != values[1]:
                changes.append(Change("data", node, name, values[0], values[1]))
        return changes

    def evaluation(self, run: Run) -> Optional[Evaluation]:
        """What the run's Evaluator recorded, all its metrics; None if it did not finish."""
        evaluation, blessing = self.run_output(run, "evaluation"), self.run_output(run, "blessing")
        if evaluation is None or blessing is None:
            return None
        return read_evaluation(evaluation.uri, blessing.uri, metric_keys_in(evaluation.uri))


def _node_name(context_name: str, pipeline_names: List[str]) -> str:
    """`penguin.Trainer` -> `Trainer`: node contexts are named `<pipeline>.<node id>`."""
    for pipeline in pipeline_names:
        if context_name.startswith(pipeline + "."):
            return context_name[len(pipeline) + 1 :]
    return context_name
