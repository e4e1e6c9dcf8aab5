"""Downloads with a canonical URL, a SHA-256 check and a cache directory.

Nothing here runs unless a `download` data source is chosen: every model also has an
offline source (generated, packaged, or from ../shared/data/).
"""

import hashlib
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from data.files import sha256_of

CACHE_DIR_ENV = "DATASET_CACHE_DIR"
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "tfx-pipeline-reference" / "datasets"
SHARED_DATA_DIR_ENV = "SHARED_DATA_DIR"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 60


class DownloadError(RuntimeError):
    """A download failed or its content is not what was expected."""


@dataclass(frozen=True)
class RemoteFile:
    """A file at its canonical URL. `sha256` is None where no checksum is published:
    the first download's checksum is then recorded beside it and enforced afterwards."""

    name: str
    url: str
    sha256: Optional[str]


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR).expanduser()


def shared_data_dir() -> Path:
    """The read-only datasets beside the project (`../shared/data`), or $SHARED_DATA_DIR."""
    return Path(os.environ.get(SHARED_DATA_DIR_ENV) or PROJECT_ROOT.parent / "shared" / "data")


def shared_file(relative: Path) -> Path:
    """A file under the shared datasets directory, or a clear error naming the way out."""
    path = shared_data_dir() / relative
    if not path.is_file():
        raise FileNotFoundError(
            f"shared dataset {path} not found: put ../shared/data beside the project, set "
            f"${SHARED_DATA_DIR_ENV}, or choose --data-source download"
        )
    return path


def _expected_sha256(remote: RemoteFile, recorded: Path) -> Optional[str]:
    if remote.sha256:
        return remote.sha256
    return recorded.read_text().strip() if recorded.exists() else None


def fetch(remote: RemoteFile, directory: Optional[Path] = None) -> Path:
    """The cached file for `remote`, downloading it first if needed; checksum-verified."""
    directory = directory or cache_dir()
    path = directory / remote.name
    recorded = directory / f"{remote.name}.sha256"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{remote.name}.")
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(remote.url, timeout=TIMEOUT_S) as response:
                for chunk in iter(lambda: response.read(1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
        except OSError as error:
            Path(tmp_name).unlink(missing_ok=True)
            raise DownloadError(f"could not download {remote.url}: {error}") from error
        os.replace(tmp_name, path)
    actual = sha256_of(path)
    expected = _expected_sha256(remote, recorded)
    if expected is None:
        recorded.write_text(actual + "\n")  # no published checksum: trust on first use
    elif actual != expected:
        raise DownloadError(
            f"{path}: SHA-256 {actual} does not match {expected} for {remote.url}; "
            "delete the file to download it again"
        )
    return path
