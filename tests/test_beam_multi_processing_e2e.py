"""The penguin pipeline end to end on Beam's DirectRunner with worker processes."""

import re
from pathlib import Path

import pytest

from tests.pipeline_runs import NODES, node_states, run_cli

WORKERS = "2"

pytestmark = pytest.mark.slow


def test_multi_processing_run_completes_every_node_and_pushes_a_model(tmp_path):
    stdout = run_cli(
        "penguin", tmp_path, "--beam-mode", "multi_processing", "--workers", WORKERS,
        "--train-steps", "30", "--threshold", "0.6",
    )
    states, _ = node_states(tmp_path, "penguin")
    assert states == {node: "COMPLETE" for node in NODES}
    versions = [p for p in (tmp_path / "serving" / "penguin").iterdir() if p.name.isdigit()]
    assert len(versions) == 1 and (versions[0] / "saved_model.pb").exists()
    assert f"Pushed: {versions[0]}" in stdout
    log = Path(re.search(r"full log: (\S+)", stdout).group(1)).read_text()  # absolute: outside the project
    # The Beam components really ran with worker processes, not in memory.
    assert "--direct_running_mode=multi_processing" in log and f"--direct_num_workers={WORKERS}" in log
