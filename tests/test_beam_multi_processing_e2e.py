"""The penguin pipeline end to end on Beam's DirectRunner with worker processes."""

import re
from pathlib import Path

import pytest

from inspection import mlmd
from pipeline.metadata_backend import connection_config
from tests.pipeline_runs import NODES, run_cli

WORKERS = "2"

pytestmark = pytest.mark.slow


def every_node_state(metadata_path: Path, pipeline_name: str) -> dict[str, str]:
    """{node: state of its newest execution} for every node the store knows in the pipeline,
    so nodes added to the pipeline later are checked too."""
    store = mlmd.open_store(connection_config(metadata_path))
    prefix = f"{pipeline_name}."
    states = {}
    for context in store.get_contexts_by_type(mlmd.NODE_CONTEXT_TYPE):
        if context.name.startswith(prefix):
            node = context.name.removeprefix(prefix)
            states[node] = mlmd.state_name(mlmd.latest_node_execution(store, pipeline_name, node))
    return states


def test_multi_processing_run_completes_every_node_and_pushes_a_model(tmp_path):
    stdout = run_cli(
        "penguin", tmp_path, "--beam-mode", "multi_processing", "--workers", WORKERS,
        "--train-steps", "30", "--threshold", "0.6",
    )
    states = every_node_state(tmp_path / "metadata" / "penguin.sqlite", "penguin")
    assert set(NODES) <= set(states)
    assert states == {node: "COMPLETE" for node in states}
    versions = [p for p in (tmp_path / "serving" / "penguin").iterdir() if p.name.isdigit()]
    assert len(versions) == 1 and (versions[0] / "saved_model.pb").exists()
    assert f"Pushed: {versions[0]}" in stdout
    assert f"Beam: multi_processing with {WORKERS} workers (--beam-mode)" in stdout
    log = Path(re.search(r"full log: (\S+)", stdout).group(1)).read_text()  # absolute: outside the project
    # The Beam components really ran with worker processes, not in memory.
    assert "--direct_running_mode=multi_processing" in log and f"--direct_num_workers={WORKERS}" in log
