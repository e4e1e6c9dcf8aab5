"""The one reading of "complete versions": local directories and any filesystem with the same reads."""

import os
from pathlib import Path
from typing import List

from serving import layout


def _version(model_dir: Path, name: str, complete: bool = True) -> None:
    (model_dir / name).mkdir(parents=True)
    if complete:
        (model_dir / name / layout.SAVED_MODEL_FILE).write_bytes(b"")


def test_versions_are_complete_integer_directories_oldest_first(tmp_path):
    for name in ("20", "100", "3"):
        _version(tmp_path, name)
    _version(tmp_path, "50", complete=False)  # a copy still under way
    _version(tmp_path, ".staging-60-1")  # a push in progress
    _version(tmp_path, "v70")
    assert layout.versions(tmp_path) == [3, 20, 100]
    assert layout.versions(str(tmp_path)) == [3, 20, 100]


def test_a_missing_directory_has_no_versions(tmp_path):
    assert layout.versions(tmp_path / "absent") == []


class SlashedDirectories:
    """A local filesystem that lists directories as some remote ones do: `name/`."""

    exists = staticmethod(os.path.exists)
    isdir = staticmethod(os.path.isdir)

    @staticmethod
    def listdir(path: str) -> List[str]:
        return [name + "/" if os.path.isdir(os.path.join(path, name)) else name for name in os.listdir(path)]


def test_a_filesystem_is_read_through_its_own_functions(tmp_path):
    _version(tmp_path, "5")
    _version(tmp_path, "6", complete=False)
    assert layout.versions(tmp_path, SlashedDirectories()) == [5]
