"""Cold and "nothing changed" run times: our penguin pipeline against upstream's.

Every run is a fresh process, as a person would type it. Wall time is measured around
the process; per-node durations come from ML Metadata (each execution's create and
last-update times), so they are what TFX recorded.
"""

import json
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

from ml_metadata.metadata_store import metadata_store

from inspection import mlmd
from pipeline.pipeline import RESOLVER_NODE_ID

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# upstream create_pipeline reads DATA_ROOT/labelled/*.csv (334 rows, features scaled to [0,1])
UPSTREAM_DATA = PROJECT_ROOT.parent / "shared" / "data" / "penguin"
RUN_TIMEOUT_S = 1200


@dataclass
class Measured:
    label: str
    pipeline: str
    wall_s: float
    nodes: Dict[str, List] = field(default_factory=dict)  # node -> [state, seconds]


def sqlite_store(metadata_path: Path) -> metadata_store.MetadataStore:
    """The ML Metadata store a benchmarked run left in its SQLite file."""
    from tfx.orchestration import metadata

    return mlmd.open_store(metadata.sqlite_metadata_connection_config(str(metadata_path)))


def node_windows(
    store: metadata_store.MetadataStore, pipeline_name: str, after_id: int = 0
) -> List[Tuple[str, str, float, float]]:
    """(node, state, start, end) in unix seconds for each execution above `after_id`, in id order."""
    node_type_id = store.get_context_type("node").id
    prefix = f"{pipeline_name}."
    windows = []
    for execution in sorted(store.get_executions(), key=lambda e: e.id):
        if execution.id <= after_id:
            continue
        for context in store.get_contexts_by_execution(execution.id):
            if context.type_id == node_type_id and context.name.startswith(prefix):
                windows.append((
                    context.name[len(prefix):],
                    mlmd.state_name(execution),
                    execution.create_time_since_epoch / 1000,
                    execution.last_update_time_since_epoch / 1000,
                ))
    return windows


def _node_durations(metadata_path: Path, pipeline_name: str, after_id: int) -> tuple[dict, int]:
    store = sqlite_store(metadata_path)
    windows = node_windows(store, pipeline_name, after_id)
    nodes = {node: [state, round(end - start, 2)] for node, state, start, end in windows}
    return nodes, mlmd.max_execution_id(store)


def _timed(command: List[str]) -> float:
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )
    wall = time.monotonic() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return wall


def measure_series(label: str, pipeline_name: str, metadata_path: Path, command: List[str], runs: int) -> List[Measured]:
    """Runs `command` `runs` times into the same (initially empty) output directory."""
    measured, last_id = [], 0
    for index in range(runs):
        wall = _timed(command)
        nodes, last_id_after = _node_durations(metadata_path, pipeline_name, last_id)
        last_id = last_id_after
        kind = "cold" if index == 0 else f"rerun {index} (nothing changed)"
        measured.append(Measured(f"{label}, {kind}", pipeline_name, round(wall, 1), nodes))
    return measured


def ours(work_dir: Path, runs: int) -> List[Measured]:
    out = work_dir / "ours"
    command = [sys.executable, "-m", "pipeline", "run", "--model", "penguin", "--output-dir", str(out)]
    return measure_series("ours (in_memory)", "penguin", out / "metadata" / "penguin.sqlite", command, runs)


def upstream(work_dir: Path, beam_mode: str, runs: int) -> List[Measured]:
    out = work_dir / f"upstream_{beam_mode}"
    command = [sys.executable, "-m", "bench.upstream_penguin", str(out), str(UPSTREAM_DATA), beam_mode]
    return measure_series(
        f"upstream ({beam_mode})", "penguin_upstream", out / "metadata" / "penguin_upstream.sqlite", command, runs
    )


NODE_ORDER = [
    "CsvExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen", "ExampleValidator", "DataValidator", "DataGate",
    "Transform", "Trainer", "latest_blessed_model_resolver", "Evaluator", "Pusher",
]
# Goals of issue 13: ours cold / upstream in_memory cold; a penguin rerun with nothing changed.
COLD_GOAL = 0.5
NOTHING_CHANGED_GOAL_S = 8.0
# The nodes that check the data: ours (the data gate, with the curated schema's import) and
# upstream's (SchemaGen inferring a schema, ExampleValidator checking the data against it).
VALIDATION_NODES = ("SchemaGen", "ImportSchemaGen", "ExampleValidator", "DataValidator", "DataGate")


def validation_seconds(measured: Measured) -> float:
    return sum(measured.nodes[node][1] for node in VALIDATION_NODES if node in measured.nodes)


def _series(label: str) -> str:
    return label.split(", ")[0]


def to_markdown(measured: List[Measured], machine: str) -> str:
    lines = [
        "# Pipeline speed: ours vs the upstream TFX penguin example",
        "",
        f"Machine: {machine}. All runs in one benchmark session, each a fresh process.",
        "Node seconds are from ML Metadata; `C` marks a CACHED node, an empty cell a node the",
        "pipeline does not have (ours checks data with ImportSchemaGen, DataValidator and DataGate;",
        "upstream with SchemaGen and ExampleValidator). A row with no node cells ran no node: the run",
        "before it had every node cached, so it found nothing changed without importing TFX",
        "(pipeline/settled.py).",
        "",
        "| run | wall s | " + " | ".join(n.replace("latest_blessed_model_resolver", "Resolver") for n in NODE_ORDER) + " |",
        "|---|---:|" + "---:|" * len(NODE_ORDER),
    ]
    for m in measured:
        cells = []
        for node in NODE_ORDER:
            state, seconds = m.nodes.get(node, ["", ""])
            cells.append(f"{seconds}{' C' if state == 'CACHED' else ''}")
        lines.append(f"| {m.label} | {m.wall_s} | " + " | ".join(cells) + " |")

    ours = [m for m in measured if _series(m.label).startswith("ours")]
    lines += ["", "Speed-up of ours (wall time of the other run / ours, same position in the series):", ""]
    for other in sorted({_series(m.label) for m in measured} - {_series(ours[0].label)}):
        runs = [m for m in measured if _series(m.label) == other]
        for index, run in enumerate(runs[: len(ours)]):
            kind = "cold" if index == 0 else f"rerun {index}"
            lines.append(
                f"- {kind}: {other} {run.wall_s} s vs ours {ours[index].wall_s} s = "
                f"**{run.wall_s / ours[index].wall_s:.2f}x**"
            )
    upstream_cold = [m for m in measured if m.label == "upstream (in_memory), cold"]
    if upstream_cold:
        lines.append(
            f"- goal, cold ours / upstream in_memory at most {COLD_GOAL}: "
            f"**{ours[0].wall_s / upstream_cold[0].wall_s:.2f}**"
        )
    if len(ours) > 1:
        lines += ["", f"Ours with nothing changed (goal at most {NOTHING_CHANGED_GOAL_S:g} s):", ""]
        lines += [f"- {run.label}: {run.wall_s} s; {_rerun_kind(run)}" for run in ours[1:]]
    lines += ["", "Data validation's share of each run (the validation nodes' seconds from ML Metadata / wall time):", ""]
    for m in measured:
        seconds = validation_seconds(m)
        lines.append(f"- {m.label}: {seconds:.2f} s of {m.wall_s} s = {100 * seconds / m.wall_s:.1f}%")
    return "\n".join(lines) + "\n"


def _rerun_kind(run: Measured) -> str:
    if not run.nodes:
        return "the run before had every node cached: answered from ML Metadata, TFX not imported"
    ran = [node for node, (state, _) in run.nodes.items() if state == "COMPLETE" and node != RESOLVER_NODE_ID]
    return f"ran {', '.join(ran)}" if ran else "every node CACHED by TFX"


def machine_description() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}"


def write(measured: List[Measured], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    machine = machine_description()
    (results_dir / "pipeline_speed.json").write_text(
        json.dumps({"machine": machine, "runs": [asdict(m) for m in measured]}, indent=1)
    )
    path = results_dir / "pipeline_speed.md"
    path.write_text(to_markdown(measured, machine))
    return path
