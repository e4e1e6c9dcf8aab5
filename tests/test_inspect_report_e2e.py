"""`inspect` and `report` over a real store: two tiny penguin runs through the CLI."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspection import report
from tests.pipeline_runs import CACHED_ON_RERUN, NODES, PROJECT_ROOT, run_cli

pytestmark = pytest.mark.slow

FIRST_STEPS, SECOND_STEPS = "20", "30"
# A low bound and any regression allowed: both runs bless and push, whatever 20-30 steps reach.
BLESS_ANYTHING = ("--threshold", "0.3", "--max-regression", "1")
CHROMIUM = "chromium"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
COMMAND_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """An output directory with two runs: cold at 20 steps, then 30 steps (Trainer re-runs)."""
    output_dir = tmp_path_factory.mktemp("inspect")
    run_cli("penguin", output_dir, "--train-steps", FIRST_STEPS, *BLESS_ANYTHING)
    run_cli("penguin", output_dir, "--train-steps", SECOND_STEPS, *BLESS_ANYTHING)
    return output_dir


def pipeline_cli(*args: str, expect_returncode: int = 0) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT_S,
    )
    assert completed.returncode == expect_returncode, completed.stdout + completed.stderr
    return completed


def inspect_json(store: Path, *args: str) -> dict:
    return json.loads(pipeline_cli("inspect", *args, "--output-dir", str(store), "--json").stdout)


def test_runs_show_each_node_state_and_the_cache(store):
    runs = inspect_json(store, "runs")["runs"]
    assert len(runs) == 2
    first, second = ({node["node"]: node["state"] for node in run["nodes"]} for run in runs)
    assert all(first[node] == "COMPLETE" for node in NODES)
    cached = [node for node in CACHED_ON_RERUN if node != "Trainer"]  # the second run trains longer
    assert [second[node] for node in cached] == ["CACHED"] * len(cached)
    assert second["Trainer"] == "COMPLETE"
    assert all(run["state"] == "COMPLETE" and run["seconds"] > 0 for run in runs)
    assert [(run["span"], run["gate"]) for run in runs] == [(0, "passed"), (0, "passed")]
    text = pipeline_cli("inspect", "runs", "--output-dir", str(store)).stdout
    assert re.search(r"Transform +CACHED +\d+\.\d s", text)


def test_artifacts_filter_by_type_and_name_their_producer(store):
    models = inspect_json(store, "artifacts", "--type", "Model")["artifacts"]
    assert [model["node"] for model in models] == ["Trainer", "Trainer"]
    examples = inspect_json(store, "artifacts", "--type", "Examples")["artifacts"]
    assert {"node": "CsvExampleGen", "properties": {"span": 0}}.items() <= examples[0].items()


def test_lineage_of_the_pushed_model_reaches_the_csv_input_and_the_served_version(store):
    pushed = [version for version in inspect_json(store, "pushed")["pushed"] if version["pusher"] == "Pusher"]
    assert len(pushed) == 2 and all(version["blessed"] and version["model_type"] == "Model" for version in pushed)
    newest = pushed[-1]
    assert Path(newest["destination"]).is_dir() and newest["on_disk"]
    lineage = inspect_json(store, "lineage", str(newest["model_id"]))
    assert [data["input_base"] for data in lineage["input_data"]] == [str(store / "data" / "penguin")]
    assert newest["version"] in [served["version"] for served in lineage["served"]]
    assert {step["node"] for step in lineage["upstream"]} >= {"CsvExampleGen", "Transform", "Trainer"}
    text = pipeline_cli("inspect", "lineage", str(newest["model_id"]), "--output-dir", str(store)).stdout
    assert f"input_base {store / 'data' / 'penguin'}" in text
    assert f"served: version {newest['version']}" in text


def test_compare_shows_the_changed_train_steps_and_both_evaluations(store):
    runs = [run["id"] for run in inspect_json(store, "runs")["runs"]]
    comparison = inspect_json(store, "compare", *map(str, runs))
    changes = {(c["node"], c["key"]): (c["before"], c["after"]) for c in comparison["changes"]}
    assert changes[("Trainer", "train_args.num_steps")] == (int(FIRST_STEPS), int(SECOND_STEPS))
    assert not [c for c in comparison["changes"] if c["section"] == "data"]
    overall = comparison["slices"][0]
    assert overall["slice"] == "overall" and overall["example_count"][0] == overall["example_count"][1] > 0
    assert all(value is not None for value in overall["metrics"]["sparse_categorical_accuracy"])
    text = pipeline_cli("inspect", "compare", *map(str, runs), "--output-dir", str(store)).stdout
    assert f"Trainer train_args.num_steps: {FIRST_STEPS} -> {SECOND_STEPS}" in text


def test_unknown_ids_and_missing_stores_are_named(store, tmp_path):
    error = pipeline_cli("inspect", "lineage", "9999", "--output-dir", str(store), expect_returncode=2).stderr
    assert "no artifact 9999" in error
    error = pipeline_cli("inspect", "compare", "1", "nope", "--output-dir", str(store), expect_returncode=2).stderr
    assert "no run '1'" in error
    error = pipeline_cli("inspect", "runs", "--output-dir", str(tmp_path), expect_returncode=2).stderr
    assert f"no ML Metadata store at {tmp_path}" in error
    assert not (tmp_path / "metadata").exists()  # reading never creates a store


def chromium_or_skip() -> str:
    """Chromium's path; without it the test skips on a workstation and fails in CI."""
    path = shutil.which(CHROMIUM)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI runs this test")
    return path


def test_report_renders_offline_in_headless_chromium_without_errors(store, tmp_path):
    stdout = pipeline_cli("report", "--output-dir", str(store)).stdout
    runs = inspect_json(store, "runs")["runs"]
    path = store / "reports" / f"penguin-run-{runs[-1]['id']}.html"
    assert f"Report for run {runs[-1]['id']}" in stdout and path.exists()
    page = path.read_text()
    assert "<script" not in page.lower()
    assert set(re.findall(r"https?://[^\s\"')]+", page)) <= {SVG_NAMESPACE}  # nothing to fetch

    chromium = chromium_or_skip()
    screenshot = tmp_path / "report.png"
    common = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
    dumped = subprocess.run(
        [*common, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S
    )
    assert dumped.returncode == 0, dumped.stderr
    for section in report.SECTIONS:
        assert f'<section id="{section}">' in dumped.stdout
    for heading in ("Pipeline DAG", "Data statistics: train vs eval", "Training curves",
                    "Evaluation per slice against the baseline", "Lineage of the pushed model"):
        assert heading in dumped.stdout
    assert dumped.stdout.count('class="node"') == len(runs[-1]["nodes"])
    assert "island=Biscoe" in dumped.stdout and "body_mass_g" in dumped.stdout
    assert str(store / "data" / "penguin") in dumped.stdout
    assert "CONSOLE" not in dumped.stderr and "Uncaught" not in dumped.stderr, dumped.stderr
    shot = subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=1280,4000", path.as_uri()],
        capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
    )
    assert shot.returncode == 0 and screenshot.stat().st_size > 50_000, shot.stderr
