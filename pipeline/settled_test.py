"""The settled-run fingerprint and its record in ML Metadata."""

import dataclasses
import os

import pytest
from ml_metadata.proto import metadata_store_pb2

from inspection import mlmd
from pipeline import configs, settled
from pipeline.models import get_model


@pytest.fixture
def settings(tmp_path) -> configs.RunSettings:
    paths = configs.resolve_paths("penguin", "penguin", output_dir=str(tmp_path / "out"), environ={})
    paths.data_root.mkdir(parents=True)
    (paths.data_root / "penguins.csv").write_text("a,b\n1,2\n")
    return configs.RunSettings(
        model=get_model("penguin"), pipeline_name="penguin", paths=paths, train_steps=100, eval_steps=5,
        threshold=0.9, max_regression=0.0, seed=42, beam_args=["--direct_running_mode=in_memory"], data_source="package",
    )


def test_fingerprint_is_stable_and_moves_with_settings_data_and_served_versions(settings):
    before = settled.fingerprint(settings)
    assert settled.fingerprint(settings) == before
    assert settled.fingerprint(dataclasses.replace(settings, train_steps=101)) != before
    assert settled.fingerprint(dataclasses.replace(settings, accepted_anomalies=("fare:DRIFT",))) != before

    data_file = settings.paths.data_root / "penguins.csv"
    stat = data_file.stat()
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    touched = settled.fingerprint(settings)
    assert touched != before, "a touched input file is a new input, as it is for ExampleGen"

    (settings.paths.serving_model_dir / "1700000000").mkdir(parents=True)
    assert settled.fingerprint(settings) != touched, "a served version that appeared or vanished"


def test_fingerprint_covers_the_project_code_but_not_its_tests():
    names = {path.relative_to(settled.PROJECT_ROOT).as_posix() for path in settled._code_files()}
    assert {"pipeline/runner.py", "components/publishing.py", "modules/penguin/schema.pbtxt"} <= names
    assert not any(name.endswith("_test.py") for name in names)


def test_a_settled_run_stands_until_its_fingerprint_changes_or_anything_runs(tmp_path):
    store = mlmd.open_store(configs.connection_config(tmp_path / "m.sqlite", None))
    assert settled.unchanged_since(store, "penguin", "f1") is None, "nothing recorded yet"
    kept = settled.SettledRun("f1", mlmd.max_execution_id(store), "run-1", "  Span: 0")
    settled.record(store, "penguin", kept)
    assert settled.unchanged_since(store, "penguin", "f1") == kept
    assert settled.unchanged_since(store, "penguin", "f2") is None
    assert settled.unchanged_since(store, "other", "f1") is None

    execution_type = store.put_execution_type(metadata_store_pb2.ExecutionType(name="Trainer"))
    store.put_executions([metadata_store_pb2.Execution(type_id=execution_type)])
    assert settled.unchanged_since(store, "penguin", "f1") is None, "a run since then may have changed the inputs"

    newer = settled.SettledRun("f1", mlmd.max_execution_id(store), "run-2", "  Span: 1")
    settled.record(store, "penguin", newer)
    assert settled.unchanged_since(store, "penguin", "f1") == newer
