"""Fashion-MNIST's writers: IDX parsing, the content check of every copy, the shared source
read from a directory of IDX files (or Debian's), and the offline digits stand-in."""

import gzip
import hashlib

import numpy as np
import pytest

from data import download, fashion_mnist, image_records
from data.inputs import read_tfrecords


def _idx_content(values: np.ndarray) -> bytes:
    return bytes([0, 0, 8, values.ndim]) + b"".join(n.to_bytes(4, "big") for n in values.shape) + values.tobytes()


def write_idx_files(directory, arrays: dict, monkeypatch) -> None:
    """`arrays` ("train_images": uint8 values, ...) as Fashion-MNIST's gzipped IDX files in
    `directory`, their content pinned in place of the real files'."""
    directory.mkdir(parents=True, exist_ok=True)
    pinned = {}
    for part, values in arrays.items():
        name = fashion_mnist.FASHION_FILE_NAMES[part]
        content = _idx_content(values)
        (directory / name).write_bytes(gzip.compress(content))
        pinned[name] = hashlib.sha256(content).hexdigest()
    monkeypatch.setattr(fashion_mnist, "FASHION_CONTENT_SHA256", pinned)


def _write_small_fashion_mnist(directory, monkeypatch) -> dict:
    """Four small IDX files named as Fashion-MNIST's (3 train, 2 test images) in `directory`; their arrays."""
    rng = np.random.default_rng(0)
    arrays = {
        "train_images": rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8),
        "train_labels": np.array([0, 9, 4], dtype=np.uint8),
        "test_images": rng.integers(0, 256, size=(2, 28, 28), dtype=np.uint8),
        "test_labels": np.array([7, 1], dtype=np.uint8),
    }
    write_idx_files(directory, arrays, monkeypatch)
    return arrays


def _written_examples(path) -> list:
    import tensorflow as tf

    examples = [tf.train.Example.FromString(record).features.feature for record in read_tfrecords(path)]
    return [
        (list(f[image_records.IMAGE_KEY].int64_list.value), f[image_records.LABEL_KEY].int64_list.value[0])
        for f in examples
    ]


def test_parse_idx_reads_the_header_and_pixels():
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(fashion_mnist.parse_idx(_idx_content(pixels)), pixels)


def test_shared_source_writes_train_then_test_images_from_the_shared_directory(tmp_path, monkeypatch):
    arrays = _write_small_fashion_mnist(tmp_path / "shared" / "fashion_mnist", monkeypatch)
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "shared"))
    description = fashion_mnist.shared(tmp_path / "data")
    assert description == f"Fashion-MNIST from {tmp_path / 'shared' / 'fashion_mnist'} (5 images, content checked)"
    images = np.concatenate([arrays["train_images"], arrays["test_images"]]).reshape(5, -1)
    labels = np.concatenate([arrays["train_labels"], arrays["test_labels"]])
    expected = [(image.tolist(), label) for image, label in zip(images, labels.tolist())]
    assert _written_examples(tmp_path / "data" / image_records.OUTPUT_FILE_NAME) == expected


def test_shared_source_reads_debians_copy_where_the_shared_one_is_absent(tmp_path, monkeypatch):
    _write_small_fashion_mnist(tmp_path / "debian", monkeypatch)
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "no-shared-data"))
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", tmp_path / "debian")
    assert fashion_mnist.shared(tmp_path / "data").startswith(f"Fashion-MNIST from {tmp_path / 'debian'} (5 images")


def test_without_any_copy_the_error_names_both_ways_in(tmp_path, monkeypatch):
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "no-shared-data"))
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", tmp_path / "no-debian")
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist") as raised:
        fashion_mnist.shared(tmp_path / "data")
    assert "SHARED_DATA_DIR" in str(raised.value)


def test_a_corrupt_copy_is_refused_naming_the_file(tmp_path, monkeypatch):
    directory = tmp_path / "shared" / "fashion_mnist"
    _write_small_fashion_mnist(directory, monkeypatch)
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "shared"))
    labels = directory / fashion_mnist.FASHION_FILE_NAMES["test_labels"]
    labels.write_bytes(gzip.compress(_idx_content(np.array([7, 2], dtype=np.uint8))))  # one label changed
    with pytest.raises(fashion_mnist.ContentError, match=f"^{labels}: decompressed content has SHA-256 [0-9a-f]{{64}}, not Fashion-MNIST's t10k-labels"):
        fashion_mnist.shared(tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_a_truncated_gzip_is_refused_naming_the_file(tmp_path, monkeypatch):
    directory = tmp_path / "shared" / "fashion_mnist"
    _write_small_fashion_mnist(directory, monkeypatch)
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "shared"))
    images = directory / fashion_mnist.FASHION_FILE_NAMES["train_images"]
    images.write_bytes(images.read_bytes()[:-20])
    with pytest.raises(fashion_mnist.ContentError, match=f"^{images}: not a readable gzip file"):
        fashion_mnist.shared(tmp_path / "data")


@pytest.mark.skipif(
    not (download.shared_data_dir() / fashion_mnist.SHARED_DIR).is_dir(), reason="no shared Fashion-MNIST here"
)
def test_the_shared_copy_holds_the_pinned_content():
    for part, name in fashion_mnist.FASHION_FILE_NAMES.items():
        values = fashion_mnist.read_checked_idx(fashion_mnist.local_file(part), name)
        assert len(values) == (60000 if part.startswith("train") else 10000)


def test_nearest_resize_keeps_blocks():
    small = np.array([[[1, 2], [3, 4]]], dtype=np.uint8)
    np.testing.assert_array_equal(fashion_mnist.resize_nearest(small, 4)[0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


def test_digits_offline_writes_28x28_images_with_labels(tmp_path):
    assert "1797 images" in fashion_mnist.digits_offline(tmp_path)
    pixels, label = _written_examples(tmp_path / image_records.OUTPUT_FILE_NAME)[0]
    assert len(pixels) == 28 * 28 and 0 <= min(pixels) and max(pixels) <= 255
    assert label in range(10)
