"""Fashion-MNIST as pixel records (`data.image_records`): 28x28 grey images, 10 classes.

- `digits_offline` (offline): scikit-learn's bundled 8x8 digits (1,797 images, values
  0-16), resized to 28x28 and scaled to 0-255, so that the Fashion-MNIST models run
  unchanged on them. It exercises the models offline; it is not Fashion-MNIST.
- `fashion_mnist_downloaded`: all 70,000 images of Fashion-MNIST's four IDX files (train
  and test; ImportExampleGen re-splits them) from Keras' mirror,
  https://storage.googleapis.com/tensorflow/tf-keras-datasets/.
"""

import gzip
from pathlib import Path

import numpy as np

from data.download import RemoteFile, fetch
from data.image_records import write_image_examples

FASHION_SIZE = 28
FASHION_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
FASHION_MIRROR = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# Keras pins no checksums for these: the first download's is recorded and enforced.
FASHION_FILES = {
    part: RemoteFile(name=f"fashion-{name}", url=FASHION_MIRROR + name, sha256=None)
    for part, name in {
        "train_labels": "train-labels-idx1-ubyte.gz",
        "train_images": "train-images-idx3-ubyte.gz",
        "test_labels": "t10k-labels-idx1-ubyte.gz",
        "test_images": "t10k-images-idx3-ubyte.gz",
    }.items()
}


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


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzip) as a uint8 array shaped by its header."""
    with gzip.open(path, "rb") as handle:
        content = handle.read()
    dimensions = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions))
    return np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def fashion_mnist_arrays(*splits: str) -> tuple[np.ndarray, np.ndarray]:
    """The downloaded images and labels of `splits` ("train", "test"), in that order."""
    images = [read_idx(fetch(FASHION_FILES[f"{split}_images"])) for split in splits]
    labels = [read_idx(fetch(FASHION_FILES[f"{split}_labels"])) for split in splits]
    return np.concatenate(images), np.concatenate(labels)


def digits_offline(data_root: Path) -> str:
    images, labels = digits_as_fashion_images()
    count = write_image_examples(data_root, images, labels)
    return f"scikit-learn digits ({count} images, 8x8 resized to {FASHION_SIZE}x{FASHION_SIZE}; offline stand-in)"


def fashion_mnist_downloaded(data_root: Path) -> str:
    images, labels = fashion_mnist_arrays("train", "test")
    count = write_image_examples(data_root, images, labels)
    return f"Fashion-MNIST from {FASHION_MIRROR} ({count} images)"
