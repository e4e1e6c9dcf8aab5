"""Atomic, de-duplicated version publishing."""

import os

from tfx.dsl.io import fileio

from components import versioned_pusher
from serving import layout


def _model(path, payload: bytes):
    (path / "variables").mkdir(parents=True)
    (path / "variables" / "variables.data").write_bytes(payload)
    (path / "saved_model.pb").write_bytes(b"graph")
    return str(path)


def test_publish_creates_a_complete_integer_version_and_no_staging_leftovers(tmp_path):
    base = tmp_path / "serving"
    base.mkdir()
    version = versioned_pusher.publish_version(_model(tmp_path / "m1", b"1"), str(base))
    assert os.path.basename(version).isdigit()
    assert sorted(os.listdir(version)) == ["saved_model.pb", "variables"]
    assert os.listdir(base) == [os.path.basename(version)]


def test_versions_increase_even_within_one_second(tmp_path):
    base = tmp_path / "serving"
    base.mkdir()
    first = versioned_pusher.publish_version(_model(tmp_path / "m1", b"1"), str(base))
    second = versioned_pusher.publish_version(_model(tmp_path / "m2", b"2"), str(base))
    assert int(os.path.basename(second)) > int(os.path.basename(first))
    assert layout.versions(str(base), fileio) == sorted(
        int(os.path.basename(v)) for v in (first, second)
    )


def test_identical_model_reuses_the_newest_version_and_a_changed_one_does_not(tmp_path):
    base = tmp_path / "serving"
    base.mkdir()
    published = versioned_pusher.publish_version(_model(tmp_path / "m1", b"1"), str(base))
    assert versioned_pusher.identical_newest_version(str(base), _model(tmp_path / "same", b"1")) == published
    assert versioned_pusher.identical_newest_version(str(base), _model(tmp_path / "other", b"2")) is None


def test_half_written_version_is_not_served(tmp_path):
    base = tmp_path / "serving"
    (base / "123").mkdir(parents=True)  # no saved_model.pb: an interrupted copy
    assert layout.versions(str(base), fileio) == []
