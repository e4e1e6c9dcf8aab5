"""What the reader (`inspection.mlmd`) returns: runs, artifacts, lineage, comparisons, pushes.

Plain data with `to_json` for `inspect --json`; its keys are documented in docs/inspect.md.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from components.data_findings import STOPPED

# Artifact properties worth a column: which data (span, version), what was decided
# (blessed) and what was served (the versioned Pusher's pushed_version, reused_version).
KEY_PROPERTIES = (
    "span", "version", "blessed", "pushed", "pushed_version", "reused_version", "gate", "findings", "accepted",
)
UNFINISHED_STATES = ("NEW", "RUNNING", "UNKNOWN")
# The node that fails a run whose data the validator refused (components/data_gate.py).
DATA_GATE_NODE = "DataGate"


@dataclass
class NodeRun:
    """One node's execution in a run."""

    node: str
    execution_id: int
    state: str
    started: str
    seconds: float


@dataclass
class Run:
    """One pipeline run: the `pipeline_run` context TFX's runner records, and its nodes."""

    id: int
    name: str
    pipeline: str
    started: str
    seconds: float
    nodes: List[NodeRun]
    # The span ExampleGen read, and the data gate's verdict ("passed"/"stopped"), if recorded.
    span: Optional[int] = None
    gate: Optional[str] = None

    @property
    def state(self) -> str:
        """STOPPED if the data gate stopped it, FAILED if another node failed, INTERRUPTED if
        it was killed (a later run marked its unfinished node CANCELED), RUNNING while one
        has not finished, else COMPLETE."""
        states = {node.state for node in self.nodes}
        gate = self.node(DATA_GATE_NODE)
        if gate is not None and gate.state == "FAILED" and self.gate == STOPPED:
            return "STOPPED"
        if "FAILED" in states:
            return "FAILED"
        if "CANCELED" in states:
            return "INTERRUPTED"
        if states & set(UNFINISHED_STATES) or not states:
            return "RUNNING"
        return "COMPLETE"

    def node(self, node_id: str) -> Optional[NodeRun]:
        return next((node for node in self.nodes if node.node == node_id), None)

    def to_json(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "pipeline": self.pipeline,
            "state": self.state,
            "started": self.started,
            "seconds": round(self.seconds, 3),
            "span": self.span,
            "gate": self.gate,
            "nodes": [vars(node) | {"seconds": round(node.seconds, 3)} for node in self.nodes],
        }


@dataclass
class ArtifactInfo:
    """An artifact with where it came from: the node and run that first produced it."""

    id: int
    type: str
    uri: str
    node: Optional[str]
    run: Optional[str]
    run_id: Optional[int]
    properties: Dict[str, Any]

    @property
    def key_properties(self) -> Dict[str, Any]:
        return {name: self.properties[name] for name in KEY_PROPERTIES if name in self.properties}

    def to_json(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "uri": self.uri,
            "node": self.node,
            "run": self.run,
            "run_id": self.run_id,
            "properties": self.key_properties,
        }


@dataclass
class LineageStep:
    """An execution on a lineage path, with its input and output artifact ids by key."""

    execution_id: int
    node: str
    run: Optional[str]
    state: str
    inputs: Dict[str, List[int]]
    outputs: Dict[str, List[int]]


@dataclass
class Lineage:
    """Everything an artifact was made from (upstream) and made into (downstream)."""

    artifact_id: int
    upstream: List[LineageStep]
    downstream: List[LineageStep]
    artifacts: Dict[int, ArtifactInfo]
    # ExampleGen input directories upstream: {"input_base", "span", "input_fingerprint", "examples_id"}
    input_data: List[Dict[str, Any]]
    # Pushed versions downstream: {"version", "destination", "reused", "run", "run_id", "pushed_model_id"}
    served: List[Dict[str, Any]]

    def to_json(self) -> Dict[str, Any]:
        return {
            "artifact": self.artifacts[self.artifact_id].to_json(),
            "input_data": self.input_data,
            "served": self.served,
            "upstream": [vars(step) for step in self.upstream],
            "downstream": [vars(step) for step in self.downstream],
            "artifacts": {str(key): info.to_json() for key, info in sorted(self.artifacts.items())},
        }


@dataclass
class Change:
    """One difference between two runs: in their data, code or parameters."""

    section: str
    node: str
    key: str
    before: Any
    after: Any


@dataclass
class Comparison:
    """Two runs side by side: node states, evaluation per slice, and what changed."""

    runs: Tuple[Run, Run]
    metric_labels: List[str]
    # slice -> (example count, {metric label: value}) for each run; None where a run has no evaluation
    slices: Dict[str, Tuple[Optional[Tuple[int, Dict[str, float]]], ...]]
    blessed: Tuple[Optional[bool], Optional[bool]]
    changes: List[Change]

    def to_json(self) -> Dict[str, Any]:
        return {
            "runs": [run.to_json() for run in self.runs],
            "metric_labels": self.metric_labels,
            "blessed": list(self.blessed),
            "slices": [
                {
                    "slice": name,
                    "example_count": [side[0] if side else None for side in sides],
                    "metrics": {
                        label: [side[1].get(label) if side else None for side in sides]
                        for label in self.metric_labels
                    },
                }
                for name, sides in self.slices.items()
            ],
            "changes": [vars(change) for change in self.changes],
        }


@dataclass
class PushedVersion:
    """A version the Pusher served, with its blessing and the data its model came from."""

    version: str
    destination: str
    on_disk: bool
    reused: bool
    pusher: Optional[str]
    run: Optional[str]
    run_id: Optional[int]
    pushed_model_id: int
    model_id: Optional[int]
    model_type: Optional[str]
    blessed: Optional[bool]
    input_data: List[Dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> Dict[str, Any]:
        return dict(vars(self))
