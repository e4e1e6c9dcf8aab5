"""The penguin pipeline end to end through the real CLI: cold, cached, and not blessed."""

import subprocess
import sys
from pathlib import Path

import pytest
import tensorflow as tf

from pipeline.pipeline import RESOLVER_NODE_ID
from tests.pipeline_runs import CACHED_ON_RERUN, NODES, PROJECT_ROOT
from tests.pipeline_runs import node_states as model_node_states
from tests.pipeline_runs import run_cli as run_model_cli

TFLITE_EXPORTER = "TFLiteExporter"
TFLITE_NODES = (TFLITE_EXPORTER, "TFLitePusher")
TFLITE_FILES = ["dynamic_range.tflite", "float16.tflite", "int8.tflite"]
TRAIN_STEPS = "30"

pytestmark = pytest.mark.slow


def run_cli(output_dir: Path, *extra: str, expect_returncode: int = 0) -> str:
    return run_model_cli(
        "penguin", output_dir, "--train-steps", TRAIN_STEPS, "--threshold", "0.6", *extra,
        expect_returncode=expect_returncode,
    )


def node_states(output_dir: Path, after_id: int) -> tuple[dict, int]:
    return model_node_states(output_dir, "penguin", after_id, extra_nodes=TFLITE_NODES)


def versions(output_dir: Path) -> dict:
    base = output_dir / "serving" / "penguin"
    return {p.name: p.stat().st_mtime_ns for p in base.iterdir()}


def tflite_versions(output_dir: Path) -> dict:
    """{version: sorted file names} under the TFLite serving directory."""
    base = output_dir / "serving_tflite" / "penguin"
    return {p.name: sorted(f.name for f in p.iterdir()) for p in base.iterdir()} if base.exists() else {}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Runs into one output directory, with what each left behind: a cold run; a rerun, whose
    Evaluator compares the model with itself now that it is served; a rerun where every
    node is cached; the same again, which finds nothing changed; a stricter threshold."""
    output_dir = tmp_path_factory.mktemp("penguin_e2e")
    recorded = []
    last_id = 0
    for extra in ((), (), (), (), ("--threshold", "1.01")):
        stdout = run_cli(output_dir, *extra)
        states, last_id_after = node_states(output_dir, last_id)
        recorded.append(
            {"stdout": stdout, "states": states, "versions": versions(output_dir), "tflite": tflite_versions(output_dir)}
        )
        last_id = last_id_after
    return output_dir, recorded


def test_first_run_completes_every_node_and_pushes_a_loadable_model(runs):
    output_dir, recorded = runs
    first = recorded[0]
    assert first["states"] == {node: "COMPLETE" for node in NODES + list(TFLITE_NODES)}
    assert len(first["versions"]) == 1
    version = next(iter(first["versions"]))
    assert version.isdigit()
    assert f"Pushed: {output_dir}/serving/penguin/{version}" in first["stdout"]
    for node in NODES:
        assert f"{node} " in first["stdout"]

    loaded = tf.saved_model.load(str(output_dir / "serving" / "penguin" / version))
    example = tf.train.Example()
    for key, value in {"culmen_length_mm": 39.1, "culmen_depth_mm": 18.7, "flipper_length_mm": 181.0,
                       "body_mass_g": 3750.0}.items():
        example.features.feature[key].float_list.value.append(value)
    example.features.feature["island"].bytes_list.value.append(b"Torgersen")
    example.features.feature["sex"].bytes_list.value.append(b"male")
    prediction = loaded.signatures["serving_default"](examples=tf.constant([example.SerializeToString()]))
    assert prediction["scores"].shape == (1, 3)
    assert prediction["classes"].numpy()[0] == b"Adelie"


def test_blessed_model_has_its_tflite_files_pushed_beside_it(runs):
    output_dir, recorded = runs
    first = recorded[0]
    (version,) = first["versions"]
    assert first["tflite"] == {version: TFLITE_FILES}
    assert f"TFLite: {output_dir}/serving_tflite/penguin/{version}/{{{','.join(TFLITE_FILES)}}}" in first["stdout"]


def test_summary_reports_accuracy_per_slice_and_blessing(runs):
    _, recorded = runs
    stdout = recorded[0]["stdout"]
    for slice_name in ("overall", "island=Biscoe", "island=Dream", "island=Torgersen", "sex=female", "sex=male"):
        assert slice_name in stdout
    assert "Blessed: yes" in stdout
    assert "TensorFlow" not in stdout and "W0000" not in stdout  # logs went to the log file


def test_second_run_is_cached_and_pushes_no_duplicate_version(runs):
    _, recorded = runs
    second = recorded[1]
    assert {node: second["states"][node] for node in CACHED_ON_RERUN} == {node: "CACHED" for node in CACHED_ON_RERUN}
    assert second["versions"] == recorded[0]["versions"]
    assert "identical to the served version" in second["stdout"]
    assert second["states"][TFLITE_EXPORTER] == "CACHED"
    assert second["tflite"] == recorded[0]["tflite"]


def test_the_same_run_after_one_that_changed_nothing_runs_nothing(runs):
    _, recorded = runs
    settling, repeated = recorded[2], recorded[3]
    assert {node: state for node, state in settling["states"].items() if node != RESOLVER_NODE_ID} == {
        node: "CACHED" for node in NODES + list(TFLITE_NODES) if node != RESOLVER_NODE_ID
    }
    assert set(repeated["states"].values()) == {None}, "no execution recorded: TFX was not even imported"
    assert "Nothing changed since run" in repeated["stdout"]
    settled_summary = settling["stdout"].split("succeeded in", 1)[1].split("\n", 1)[1]
    assert repeated["stdout"].endswith(settled_summary), "the settled run's summary stands, word for word"
    assert repeated["versions"] == settling["versions"] == recorded[0]["versions"]


def test_impossible_threshold_blesses_nothing_and_leaves_serving_untouched(runs):
    _, recorded = runs
    third = recorded[-1]
    assert third["states"]["Evaluator"] == "COMPLETE"
    assert "Blessed: NO" in third["stdout"]
    assert "lower bound 1.01" in third["stdout"]
    assert "Pushed: nothing" in third["stdout"]
    assert "TFLite: nothing pushed" in third["stdout"]
    assert third["versions"] == recorded[0]["versions"]
    assert third["tflite"] == recorded[0]["tflite"]


def test_summary_reports_the_span_and_the_data_gate(runs):
    _, recorded = runs
    assert "Span: 0" in recorded[0]["stdout"]
    assert "Beam: in_memory (auto: 344 rows, under the 250,000 from which multi_processing is faster)" in recorded[0]["stdout"]
    assert "Data gate: passed; compared with no served model yet" in recorded[0]["stdout"]
    assert "Data gate: passed; compared with the served model's training data" in recorded[1]["stdout"]


def test_a_failing_component_is_reported_and_nothing_is_pushed(tmp_path):
    data_root = tmp_path / "data"
    data_root.mkdir()
    (data_root / "stray.csv").write_text("colour,size\nred,3\n")  # another header in the input
    stdout = run_cli(tmp_path / "out", "--data-root", str(data_root), expect_returncode=1)
    assert "CsvExampleGen" in stdout and "FAILED" in stdout
    assert "error: RuntimeError" in stdout
    assert "Pushed: nothing" in stdout
    states, _ = node_states(tmp_path / "out", 0)
    assert states["CsvExampleGen"] == "FAILED"
    assert all(states[node] is None for node in NODES[1:] if node != RESOLVER_NODE_ID)
    assert not any((tmp_path / "out" / "serving" / "penguin").iterdir())


def test_bad_arguments_are_refused_before_anything_runs(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--output-dir", str(tmp_path), "--train-steps", "0"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 2
    assert "--train-steps: must be at least 1, got 0" in completed.stderr
    assert not (tmp_path / "metadata").exists()
