"""The served model directory, as TF Serving reads it: `<base>/<model>/<integer version>/`.

The Pusher (`components/versioned_pusher.py`) renames a fully written version into place,
so a version directory with a `saved_model.pb` is complete; staging directories are
hidden (dot-prefixed) and never counted.

`versions` is the one reading of "the complete versions of a model": the server and
`models.config` read it from local directories, the Pusher through TFX's `fileio` (which
also reads gs:// and s3:// directories). No TensorFlow import here: `models.config` is
written without it.
"""

import os
from pathlib import Path
from typing import Dict, List, Protocol, Union

SAVED_MODEL_FILE = "saved_model.pb"
CONFIG_FILE_NAME = "models.config"
# Where `python -m pipeline run` pushes by default (pipeline.configs; a test keeps them equal).
DEFAULT_MODEL_BASE_PATH = Path("outputs") / "serving"


class Filesystem(Protocol):
    """The reads `versions` needs; `tfx.dsl.io.fileio` and `tf.io.gfile` both provide them."""

    def exists(self, path: str) -> bool: ...

    def isdir(self, path: str) -> bool: ...

    def listdir(self, path: str) -> List[str]: ...


class LocalFilesystem:
    """This machine's files, read through `os`."""

    exists = staticmethod(os.path.exists)
    isdir = staticmethod(os.path.isdir)
    listdir = staticmethod(os.listdir)


def versions(model_dir: Union[str, "os.PathLike[str]"], filesystem: Filesystem = LocalFilesystem()) -> List[int]:
    """Complete versions of one model, oldest first: integer-named directories with a saved_model.pb.

    `filesystem` reads `model_dir`: this machine's by default. Names a listing gives with
    a trailing slash (directories on some remote filesystems) count without it.
    """
    directory = os.fspath(model_dir)
    if not filesystem.isdir(directory):
        return []
    names = (name.rstrip("/") for name in filesystem.listdir(directory))
    return sorted(
        int(name)
        for name in names
        if name.isdigit() and filesystem.exists(os.path.join(directory, name, SAVED_MODEL_FILE))
    )


def served_models(base_path: Path) -> Dict[str, List[int]]:
    """Every model under `base_path` that has at least one complete version."""
    if not base_path.is_dir():
        return {}
    found = {entry.name: versions(entry) for entry in sorted(base_path.iterdir()) if entry.is_dir()}
    return {name: model_versions for name, model_versions in found.items() if model_versions}


def version_dir(base_path: Path, model: str, version: int) -> Path:
    return base_path / model / str(version)
