"""Tiny Shakespeare: the plain text of the notes' char-RNN and word2vec (1,115,394 characters).

`shared_text` reads `../shared/data/tinyshakespeare/input.txt` (karpathy/char-rnn);
`downloaded_text` fetches the notes' canonical URL (notes L5841, catalogue bug 78). Both
files hold the same bytes, so one checksum guards both.
"""

from pathlib import Path

from data.download import RemoteFile, fetch, shared_file

SHARED_FILE = Path("tinyshakespeare") / "input.txt"
SHAKESPEARE = RemoteFile(
    name="shakespeare.txt",
    url="https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt",
    sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
)


def _decoded(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error})") from error


def shared_text() -> tuple[str, Path]:
    """The text of the shared copy, and where it was read."""
    path = shared_file(SHARED_FILE)
    return _decoded(path), path


def downloaded_text() -> tuple[str, str]:
    """The text from the canonical URL (cached, checksum-verified), and that URL."""
    return _decoded(fetch(SHAKESPEARE)), SHAKESPEARE.url
