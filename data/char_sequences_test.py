"""The notes' chunking: consecutive 101-character pieces, the partial last one dropped."""

from data import char_sequences
from data.inputs import read_tfrecords


def test_chunks_are_consecutive_and_drop_the_remainder():
    text = "".join(chr(ord("a") + i % 26) for i in range(2 * char_sequences.CHUNK_LENGTH + 7))
    pieces = char_sequences.chunks(text)
    assert [len(piece) for piece in pieces] == [char_sequences.CHUNK_LENGTH] * 2
    assert "".join(pieces) == text[: 2 * char_sequences.CHUNK_LENGTH]


def test_chunks_count_characters_not_bytes():
    assert char_sequences.chunks("é" * 5 + "x", length=3) == ["ééé", "ééx"]


def test_shared_text_becomes_11043_examples_of_one_chunk_each(tmp_path):
    import tensorflow as tf

    description = char_sequences.shared(tmp_path)
    assert "1,115,394 characters, 65 distinct, as 11,043 chunks of 101" in description
    records = list(read_tfrecords(tmp_path / char_sequences.OUTPUT_FILE_NAME))
    assert len(records) == 11_043
    first, second = (tf.train.Example.FromString(record) for record in records[:2])
    texts = [example.features.feature[char_sequences.TEXT_KEY].bytes_list.value for example in (first, second)]
    assert [len(text) for text in texts] == [1, 1]
    assert texts[0][0].decode().startswith("First Citizen:\n")
    assert len(texts[0][0]) == len(texts[1][0]) == char_sequences.CHUNK_LENGTH
