"""Publishing a directory as a served version: staged beside the target, then renamed into place.

Both pushers (`versioned_pusher` for SavedModels, `tflite_pusher` for TFLite files)
publish this way, so a reader polling the base directory (TF Serving, `serving/`) never
sees a half-written version: it reads only integer-named directories
(`serving.layout.versions`), and the staging directory's name is hidden and not an
integer. Files go through TFX's `fileio`, so remote base directories work as with the
stock Pusher.

On a local base directory a pusher holds `base_directory_lock` from choosing the version
to the rename, so two runs at once never publish one version number twice, and a staging
directory found under the lock was left by a killed pusher and is removed. A copy that
fails (a full or read-only disk) removes its staging directory and raises one
`PublishError` that names the directory and the reason.
"""

import contextlib
import fcntl
import hashlib
import os
import re
from typing import Iterator, Optional

import tensorflow as tf
from tfx.dsl.io import fileio
from tfx.utils import io_utils

STAGING_PREFIX = ".staging-"


class PublishError(RuntimeError):
    """A version could not be written; nothing was published and served versions are untouched."""


def is_local(path: str) -> bool:
    """Whether `path` is on this machine's filesystem (not gs://, s3://, hdfs://...)."""
    return "://" not in path


def _reason(error: BaseException) -> str:
    """What went wrong, without the staging file's path (TensorFlow says `<path>; <reason>`)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(getattr(error, "message", None) or error).rsplit("; ", 1)[-1]


@contextlib.contextmanager
def base_directory_lock(base_directory: str) -> Iterator[None]:
    """Holds an exclusive lock on the local base directory itself (`flock` on the
    directory: no lock file joins the versions); waits while another pusher holds it.
    A remote base (gs://, s3://) has no file locks: there versions are numbered by Unix
    time, as the stock Pusher numbers them."""
    if not is_local(base_directory):
        yield
        return
    try:
        os.makedirs(base_directory, exist_ok=True)
        descriptor = os.open(base_directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise PublishError(f"cannot write to {base_directory}: {_reason(error)}; nothing was published") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def remove_abandoned_staging(base_directory: str) -> None:
    """Removes staging directories a killed pusher left; call it holding `base_directory_lock`."""
    if not is_local(base_directory) or not os.path.isdir(base_directory):
        return
    for name in os.listdir(base_directory):
        if name.startswith(STAGING_PREFIX):
            fileio.rmtree(os.path.join(base_directory, name))


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
    Call it holding `base_directory_lock(base_directory)`.
    """
    destination = os.path.join(base_directory, version)
    staging = os.path.join(base_directory, f"{STAGING_PREFIX}{version}-{os.getpid()}")
    try:
        fileio.makedirs(base_directory)
        remove_abandoned_staging(base_directory)
        io_utils.copy_dir(source_dir, staging, deny_regex_patterns=[re.escape(last_file)] if last_file else [])
        if last_file:
            io_utils.copy_file(os.path.join(source_dir, last_file), os.path.join(staging, last_file))
    except (OSError, tf.errors.OpError) as error:
        with contextlib.suppress(OSError, tf.errors.OpError):
            if fileio.exists(staging):
                fileio.rmtree(staging)
        raise PublishError(
            f"cannot write version {version} into {base_directory}: {_reason(error)}; "
            "nothing was published, the versions already there are untouched"
        ) from None
    if replace and fileio.exists(destination):
        fileio.rmtree(destination)
    fileio.rename(staging, destination)
    return destination
