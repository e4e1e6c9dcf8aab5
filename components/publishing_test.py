"""Stage-then-rename publishing and the byte-for-byte comparison of directories."""

import os

import pytest

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
