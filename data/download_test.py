"""Downloads are checksum-verified, cached, and atomic (tested on file:// URLs)."""

import hashlib

import pytest

from data.download import DownloadError, RemoteFile, fetch


def test_fetch_verifies_caches_and_refuses_a_changed_file(tmp_path):
    source = tmp_path / "remote.csv"
    source.write_bytes(b"a,b\n1,2\n")
    digest = hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    cache = tmp_path / "cache"
    path = fetch(RemoteFile("data.csv", source.as_uri(), digest), cache)
    assert path.read_bytes() == b"a,b\n1,2\n"
    source.unlink()  # cached: no second download
    assert fetch(RemoteFile("data.csv", source.as_uri(), digest), cache) == path
    path.write_bytes(b"tampered")
    with pytest.raises(DownloadError, match="does not match"):
        fetch(RemoteFile("data.csv", source.as_uri(), digest), cache)


def test_without_a_published_checksum_the_first_download_is_recorded_and_enforced(tmp_path):
    source = tmp_path / "remote.csv"
    source.write_bytes(b"x\n")
    cache = tmp_path / "cache"
    remote = RemoteFile("data.csv", source.as_uri(), None)
    fetch(remote, cache)
    assert (cache / "data.csv.sha256").read_text().strip() == hashlib.sha256(b"x\n").hexdigest()
    (cache / "data.csv").write_bytes(b"y\n")
    with pytest.raises(DownloadError, match="does not match"):
        fetch(remote, cache)


def test_unreachable_url_names_the_url_and_leaves_nothing_behind(tmp_path):
    cache = tmp_path / "cache"
    missing = (tmp_path / "missing.csv").as_uri()
    with pytest.raises(DownloadError, match="could not download file://"):
        fetch(RemoteFile("data.csv", missing, None), cache)
    assert list(cache.iterdir()) == []


def test_missing_shared_dataset_says_how_to_fix_it(tmp_path, monkeypatch):
    from pathlib import Path

    from data.download import shared_file

    monkeypatch.setenv("SHARED_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="set \\$SHARED_DATA_DIR, or choose --data-source download"):
        shared_file(Path("mnist") / "mnist.tfrecord")
