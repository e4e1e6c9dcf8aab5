"""Publishing a directory as a served version: staged beside the target, then renamed into place.

Both pushers (`versioned_pusher` for SavedModels, `tflite_pusher` for TFLite files)
publish this way, so a reader polling the base directory (TF Serving, `serving/`) never
sees a half-written version: it reads only integer-named directories
(`serving.layout.versions`), and the staging directory's name is hidden and not an
integer. Files go through TFX's `fileio`, so remote base directories work as with the
stock Pusher.
"""

import hashlib
import os
import re
from typing import Optional

from tfx.dsl.io import fileio
from tfx.utils import io_utils

STAGING_PREFIX = ".staging-"


def tree_digest(root: str) -> str:
    """SHA-256 over every file's relative path and bytes below `root`."""
    digest = hashlib.sha256()
    for directory, subdirs, files in fileio.walk(root):
        subdirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            digest.update(os.path.relpath(path, root).encode() + b"\0")
            with fileio.open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def same_files(first: str, second: str) -> bool:
    """Whether two directories hold the same files, byte for byte."""
    return tree_digest(first) == tree_digest(second)


def publish_directory(
    source_dir: str, base_directory: str, version: str, last_file: Optional[str] = None, replace: bool = False
) -> str:
    """Copies `source_dir` to `<base_directory>/<version>` so no reader sees it half-written; returns that path.

    The copy goes into `<base_directory>/.staging-<version>-<pid>` and is renamed into
    place. `last_file` (a file directly in `source_dir`) is copied after everything else,
    for remote filesystems without atomic rename, where the file a reader takes as the
    mark of a complete version must arrive last. With `replace`, a directory already at
    the target is removed just before the rename; without it, the rename refuses one.
    """
    destination = os.path.join(base_directory, version)
    staging = os.path.join(base_directory, f"{STAGING_PREFIX}{version}-{os.getpid()}")
    fileio.makedirs(base_directory)
    io_utils.copy_dir(source_dir, staging, deny_regex_patterns=[re.escape(last_file)] if last_file else [])
    if last_file:
        io_utils.copy_file(os.path.join(source_dir, last_file), os.path.join(staging, last_file))
    if replace and fileio.exists(destination):
        fileio.rmtree(destination)
    fileio.rename(staging, destination)
    return destination
