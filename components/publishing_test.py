"""Stage-then-rename publishing and the byte-for-byte comparison of directories."""

import concurrent.futures
import os
import pathlib

import pytest
import tensorflow as tf

from components import publishing


def _tree(path, payload: bytes) -> str:
    """A directory with a file in a subdirectory (`payload`) and a completion mark beside it."""
    for name, content in {"sub/data": payload, "mark": b"complete"}.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(content)
    return str(path)


def test_publish_renames_a_full_copy_into_place_and_leaves_no_staging(tmp_path):
    base = tmp_path / "base"
    source = _tree(tmp_path / "source", b"1")
    published = publishing.publish_directory(source, str(base), "7", last_file="mark")
    assert published == str(base / "7")
    assert os.listdir(base) == ["7"]
    assert publishing.same_files(published, source)


def test_an_existing_target_is_replaced_only_when_asked(tmp_path):
    base = tmp_path / "base"
    publishing.publish_directory(_tree(tmp_path / "old", b"old"), str(base), "7")
    new = _tree(tmp_path / "new", b"new")
    with pytest.raises(Exception, match="already exists"):  # OSError, or TensorFlow's AlreadyExistsError
        publishing.publish_directory(new, str(base), "7")
    publishing.publish_directory(new, str(base), "7", replace=True)
    assert publishing.same_files(str(base / "7"), new)
    assert os.listdir(base) == ["7"]


def test_same_files_compares_paths_and_bytes(tmp_path):
    first = _tree(tmp_path / "first", b"1")
    assert publishing.same_files(first, _tree(tmp_path / "same", b"1"))
    assert not publishing.same_files(first, _tree(tmp_path / "other", b"2"))
    renamed = _tree(tmp_path / "renamed", b"1")
    os.rename(os.path.join(renamed, "mark"), os.path.join(renamed, "mark2"))
    assert not publishing.same_files(first, renamed)


def test_a_staging_directory_a_killed_pusher_left_is_removed_by_the_next_publish(tmp_path):
    base = tmp_path / "base"
    abandoned = base / f"{publishing.STAGING_PREFIX}7-12345"
    _tree(abandoned, b"half")
    with publishing.base_directory_lock(str(base)):
        publishing.publish_directory(_tree(tmp_path / "source", b"1"), str(base), "8")
    assert sorted(os.listdir(base)) == ["8"]


def test_a_failed_copy_raises_one_error_and_leaves_the_served_versions_alone(tmp_path, monkeypatch):
    base = tmp_path / "base"
    with publishing.base_directory_lock(str(base)):
        publishing.publish_directory(_tree(tmp_path / "old", b"old"), str(base), "7")

    def copy_half_then_fill_the_disk(source, destination, **_):
        _tree(pathlib.Path(destination), b"part")
        raise tf.errors.ResourceExhaustedError(None, None, f"{destination}/sub/data; No space left on device")

    monkeypatch.setattr(publishing.io_utils, "copy_dir", copy_half_then_fill_the_disk)
    with pytest.raises(publishing.PublishError, match=r"cannot write version 8 into .*base: No space left on device; "
                       "nothing was published"):
        with publishing.base_directory_lock(str(base)):
            publishing.publish_directory(_tree(tmp_path / "new", b"new"), str(base), "8")
    assert sorted(os.listdir(base)) == ["7"]
    assert (base / "7" / "sub" / "data").read_bytes() == b"old"


def test_two_pushers_publishing_at_once_never_share_a_version_number(tmp_path):
    """Threads with a lock each (flock excludes two opens of the directory, in one process too)."""
    from components import versioned_pusher

    base, per_pusher = str(tmp_path / "serving"), 5
    sources = [_tree(tmp_path / f"model{i}", str(i).encode()) for i in range(2)]
    for source in sources:
        (pathlib.Path(source) / "saved_model.pb").write_bytes(b"graph")

    def publish(source: str) -> None:
        for _ in range(per_pusher):
            with publishing.base_directory_lock(base):
                versioned_pusher.publish_version(source, base)

    with concurrent.futures.ThreadPoolExecutor(len(sources)) as pool:
        for done in [pool.submit(publish, source) for source in sources]:
            done.result()
    published = [name for name in os.listdir(base) if name.isdigit()]
    assert len(published) == len(sources) * per_pusher
    assert not [name for name in os.listdir(base) if name.startswith(publishing.STAGING_PREFIX)]
    assert all(any(publishing.same_files(os.path.join(base, name), source) for source in sources) for name in published)
