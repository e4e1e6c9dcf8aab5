"""File helpers shared by every dataset writer."""

import hashlib
import os
import tempfile
from pathlib import Path


def sha256_of(path: Path) -> str:
    """Returns the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_if_changed(path: Path, content: bytes) -> bool:
    """Writes `content` atomically, but only when it differs from what is there.

    ExampleGen fingerprints its input by size and modification time, so rewriting an
    identical file would needlessly invalidate the cache of every downstream node.
    Returns True when the file was (re)written.
    """
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return True


def data_rows(csv_content: bytes) -> int:
    """Rows of a CSV file's content, not counting the header line."""
    return csv_content.count(b"\n") - 1
