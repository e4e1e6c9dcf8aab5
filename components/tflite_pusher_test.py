"""TFLitePusher: the files go beside the SavedModel's version, only when the Pusher pushed."""

import os
from pathlib import Path

from tfx.types import standard_artifacts

from components import tflite_artifact, tflite_pusher

VERSION = "1700000000"


def _tflite_model(path: Path, payload: bytes) -> tflite_artifact.TFLiteModel:
    """A TFLiteModel as the exporter leaves it: one file per mode (the pusher copies any files)."""
    path.mkdir(parents=True)
    for name in ("float16.tflite", "dynamic_range.tflite", "int8.tflite"):
        (path / name).write_bytes(name.encode() + payload)
    artifact = tflite_artifact.TFLiteModel()
    artifact.uri = str(path)
    return artifact


def _pushed_model(pushed: bool, version: str = VERSION) -> standard_artifacts.PushedModel:
    artifact = standard_artifacts.PushedModel()
    artifact.set_int_custom_property(tflite_pusher.PUSHED_PROPERTY, int(pushed))
    artifact.set_string_custom_property(tflite_pusher.PUSHED_VERSION_PROPERTY, version)
    return artifact


def _push(tflite_model, pushed_model, base: Path) -> standard_artifacts.PushedModel:
    output = standard_artifacts.PushedModel()
    tflite_pusher.PusherExecutor().Do(
        {"tflite_model": [tflite_model], "pushed_model": [pushed_model]},
        {"pushed_tflite": [output]},
        {"base_directory": str(base)},
    )
    return output


def test_files_are_pushed_beside_the_saved_model_version_only_when_it_was_pushed(tmp_path):
    tflite_model = _tflite_model(tmp_path / "tflite", b"1")
    base = tmp_path / "serving_tflite"
    not_pushed = _push(tflite_model, _pushed_model(False), base)
    assert not_pushed.get_int_custom_property(tflite_pusher.PUSHED_PROPERTY) == 0
    assert not base.exists()

    first = _push(tflite_model, _pushed_model(True), base)
    assert first.get_string_custom_property(tflite_pusher.PUSHED_DESTINATION_PROPERTY) == str(base / VERSION)
    assert first.get_int_custom_property(tflite_pusher.REUSED_VERSION_PROPERTY) == 0
    assert sorted(os.listdir(base)) == [VERSION]  # no staging directory left behind
    assert sorted(os.listdir(base / VERSION)) == sorted(os.listdir(tflite_model.uri))
    again = _push(tflite_model, _pushed_model(True), base)
    assert again.get_int_custom_property(tflite_pusher.REUSED_VERSION_PROPERTY) == 1


def test_different_files_at_the_version_are_replaced(tmp_path):
    base = tmp_path / "serving_tflite"
    _push(_tflite_model(tmp_path / "old", b"old"), _pushed_model(True), base)
    new = _tflite_model(tmp_path / "new", b"new")
    pushed = _push(new, _pushed_model(True), base)
    assert pushed.get_int_custom_property(tflite_pusher.REUSED_VERSION_PROPERTY) == 0
    assert sorted(os.listdir(base)) == [VERSION]
    assert (base / VERSION / "int8.tflite").read_bytes() == b"int8.tflitenew"
