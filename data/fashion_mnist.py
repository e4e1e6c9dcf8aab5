"""Fashion-MNIST as pixel records (`data.image_records`): 28x28 grey images, 10 classes.

- `shared` (offline): all 70,000 images of Fashion-MNIST's four IDX files (train and test;
  ImportExampleGen re-splits them) from `../shared/data/fashion_mnist/`, or, where that is
  absent, from `/usr/share/datasets/fashion-mnist/` (Debian's `dataset-fashion-mnist`).
- `fashion_mnist_downloaded`: the same 70,000 images from Keras' mirror,
  https://storage.googleapis.com/tensorflow/tf-keras-datasets/.
- `digits_offline` (offline): scikit-learn's bundled 8x8 digits (1,797 images, values
  0-16), resized to 28x28 and scaled to 0-255, so that the Fashion-MNIST models run
  unchanged on them without the shared files. It is not Fashion-MNIST.

Every copy is held to the SHA-256 of its decompressed content: Debian recompressed its
files, so their .gz bytes differ from the canonical ones while the IDX content is the same.
"""

import gzip
import hashlib
import zlib
from pathlib import Path
from typing import Callable

import numpy as np

from data.download import RemoteFile, fetch, shared_file
from data.image_records import write_image_examples

FASHION_SIZE = 28
FASHION_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
FASHION_MIRROR = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FASHION_FILE_NAMES = {
    "train_labels": "train-labels-idx1-ubyte.gz",
    "train_images": "train-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
}
# SHA-256 of each file's decompressed IDX content, the canonical files' and Debian's alike.
FASHION_CONTENT_SHA256 = {
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}
# Keras pins no checksums for the .gz files: the first download's is recorded and enforced,
# and the decompressed content is checked against FASHION_CONTENT_SHA256 on every read.
FASHION_FILES = {
    part: RemoteFile(name=f"fashion-{name}", url=FASHION_MIRROR + name, sha256=None)
    for part, name in FASHION_FILE_NAMES.items()
}
SHARED_DIR = Path("fashion_mnist")
SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")


class ContentError(ValueError):
    """A Fashion-MNIST file whose decompressed content is not the one pinned."""


def resize_nearest(images: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour resize of [N, h, w] images to [N, size, size]."""
    rows = (np.arange(size) * images.shape[1] / size).astype(int)
    cols = (np.arange(size) * images.shape[2] / size).astype(int)
    return images[:, rows][:, :, cols]


def digits_as_fashion_images() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits as Fashion-MNIST-shaped uint8 images (28x28, 0-255) and labels."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = resize_nearest(digits.images, FASHION_SIZE) * (255.0 / 16.0)
    return np.rint(images).astype(np.uint8), digits.target


def parse_idx(content: bytes) -> np.ndarray:
    """Decompressed IDX content as a uint8 array shaped by its header."""
    dimensions = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions))
    return np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def read_checked_idx(path: Path, file_name: str) -> np.ndarray:
    """`path` as Fashion-MNIST's `file_name`, refused unless its decompressed content is that
    file's (FASHION_CONTENT_SHA256): a truncated download or another dataset stops here."""
    expected = FASHION_CONTENT_SHA256[file_name]
    try:
        content = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise ContentError(f"{path}: not a readable gzip file ({error}); expected Fashion-MNIST's {file_name}") from error
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected:
        raise ContentError(
            f"{path}: decompressed content has SHA-256 {actual}, not Fashion-MNIST's {file_name} "
            f"({expected}); the file is corrupt or another dataset (delete a downloaded copy to fetch it again)"
        )
    return parse_idx(content)


def local_file(part: str) -> Path:
    """One Fashion-MNIST file ("train_images", ...) from the shared datasets, else from
    Debian's package."""
    try:
        return shared_file(SHARED_DIR / FASHION_FILE_NAMES[part])
    except FileNotFoundError as error:
        system_copy = SYSTEM_DIR / FASHION_FILE_NAMES[part]
        if system_copy.is_file():
            return system_copy
        raise FileNotFoundError(f"{error} (or install Debian's dataset-fashion-mnist: {SYSTEM_DIR})") from error


def downloaded_file(part: str) -> Path:
    """One Fashion-MNIST file ("train_images", ...) from Keras' mirror, cached."""
    return fetch(FASHION_FILES[part])


def fashion_mnist_arrays(locate: Callable[[str], Path], *splits: str) -> tuple[np.ndarray, np.ndarray, str]:
    """The images and labels of `splits` ("train", "test"), in that order, from the files
    `locate` finds ("train_images", ...), each content-checked; and where they were read."""
    arrays = {"images": [], "labels": []}
    directories = set()
    for split in splits:
        for kind, parts in arrays.items():
            path = locate(f"{split}_{kind}")
            parts.append(read_checked_idx(path, FASHION_FILE_NAMES[f"{split}_{kind}"]))
            directories.add(str(path.parent))
    return np.concatenate(arrays["images"]), np.concatenate(arrays["labels"]), ", ".join(sorted(directories))


def shared(data_root: Path) -> str:
    images, labels, directory = fashion_mnist_arrays(local_file, "train", "test")
    count = write_image_examples(data_root, images, labels)
    return f"Fashion-MNIST from {directory} ({count} images, content checked)"


def fashion_mnist_downloaded(data_root: Path) -> str:
    images, labels, _ = fashion_mnist_arrays(downloaded_file, "train", "test")
    count = write_image_examples(data_root, images, labels)
    return f"Fashion-MNIST from {FASHION_MIRROR} ({count} images, content checked)"


def digits_offline(data_root: Path) -> str:
    images, labels = digits_as_fashion_images()
    count = write_image_examples(data_root, images, labels)
    return f"scikit-learn digits ({count} images, 8x8 resized to {FASHION_SIZE}x{FASHION_SIZE}; offline stand-in)"
