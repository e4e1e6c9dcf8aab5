"""Tiny Shakespeare cut into 101-character chunks, one tf.Example each, for the char-RNN (M13).

The notes cut the character ids with `batch(seq_length + 1, drop_remainder=True)`
(seq_length 100, notes L5875-5878): consecutive, non-overlapping chunks of 101 characters,
the last partial one dropped. Each chunk becomes one tf.Example with a bytes feature
`text` (the chunk, UTF-8); Transform later splits it into 100 input and 100 target
characters. 1,115,394 characters make 11,043 chunks.

- `shared` (offline): the shared copy (`data.shakespeare.shared_text`).
- `downloaded`: the notes' URL (`data.shakespeare.downloaded_text`, catalogue bug 78).
"""

from pathlib import Path
from typing import Iterator, List

from data.files import write_tfrecords_if_changed
from data.shakespeare import downloaded_text, shared_text

TEXT_KEY = "text"
SEQUENCE_LENGTH = 100  # the notes' seq_length: characters the model reads per example
CHUNK_LENGTH = SEQUENCE_LENGTH + 1  # one more: the target is the input shifted by one
OUTPUT_FILE_NAME = "shakespeare_chunks.tfrecord"


def chunks(text: str, length: int = CHUNK_LENGTH) -> List[str]:
    """Consecutive, non-overlapping `length`-character pieces of `text`; the rest is dropped."""
    return [text[start : start + length] for start in range(0, len(text) - length + 1, length)]


def _examples(pieces: List[str]) -> Iterator[bytes]:
    import tensorflow as tf  # to build the tf.Examples

    for piece in pieces:
        example = tf.train.Example()
        example.features.feature[TEXT_KEY].bytes_list.value.append(piece.encode("utf-8"))
        yield example.SerializeToString()


def write_chunks(text: str, data_root: Path) -> int:
    """Writes the chunks of `text` as tf.Examples into `data_root`; returns how many."""
    pieces = chunks(text)
    write_tfrecords_if_changed(data_root / OUTPUT_FILE_NAME, _examples(pieces))
    return len(pieces)


def _description(where: object, text: str, count: int) -> str:
    return f"{where}: {len(text):,} characters, {len(set(text))} distinct, as {count:,} chunks of {CHUNK_LENGTH}"


def shared(data_root: Path) -> str:
    text, path = shared_text()
    return _description(path, text, write_chunks(text, data_root))


def downloaded(data_root: Path) -> str:
    text, url = downloaded_text()
    return _description(url, text, write_chunks(text, data_root))
