"""Helpers for end-to-end tests: run the real CLI, read what ML Metadata recorded."""

import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from tfx.orchestration import metadata

from inspection import mlmd
from pipeline.pipeline import RESOLVER_NODE_ID

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NODES = [
    "CsvExampleGen",
    "StatisticsGen",
    "ImportSchemaGen",
    RESOLVER_NODE_ID,
    "DataValidator",
    "DataGate",
    "Transform",
    "Trainer",
    "Evaluator",
    "Pusher",
]
# The nodes a rerun with nothing changed finds in the cache. The data gate's validator runs
# again on the second run: the first run's model is now the served one to compare with.
CACHED_ON_RERUN = ["CsvExampleGen", "StatisticsGen", "ImportSchemaGen", "Transform", "Trainer"]
RUN_TIMEOUT_S = 900


def run_cli(model: str, output_dir: Path, *extra: str, expect_returncode: int = 0) -> str:
    """`python -m pipeline run --model MODEL --output-dir OUTPUT_DIR EXTRA...`; its stdout."""
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--model", model, "--output-dir", str(output_dir), *extra],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert completed.returncode == expect_returncode, completed.stdout + completed.stderr
    return completed.stdout


def node_states(
    output_dir: Path,
    pipeline_name: str,
    after_id: int = 0,
    example_gen: str = "CsvExampleGen",
    extra_nodes: Sequence[str] = (),
) -> Tuple[Dict[str, Optional[str]], int]:
    """{node: state of its newest execution after `after_id`, or None}, and the newest id.

    The nodes are NODES, with `example_gen` first, and `extra_nodes` (e.g. the TFLite ones).
    """
    store = mlmd.open_store(
        metadata.sqlite_metadata_connection_config(str(output_dir / "metadata" / f"{pipeline_name}.sqlite"))
    )
    states = {}
    for node in [example_gen] + NODES[1:] + list(extra_nodes):
        execution = mlmd.latest_node_execution(store, pipeline_name, node, after_id)
        states[node] = mlmd.state_name(execution) if execution else None
    return states, mlmd.max_execution_id(store)
