"""CIFAR-10 as pixel records (`data.image_records`): 32x32 colour images, 10 classes.

- `cifar10_generated` (offline): 2,000 generated CIFAR-shaped images, a class-coloured
  square on noise. Learnable, not CIFAR.
- `cifar10_downloaded`: all 60,000 images (train and test batches; ImportExampleGen
  re-splits them) of https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz.
"""

from pathlib import Path

import numpy as np

from data.download import RemoteFile, fetch
from data.image_records import write_image_examples

CIFAR_SIZE = 32
CIFAR_CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
# The checksum tf_keras pins for this file (tf_keras/src/datasets/cifar10.py).
CIFAR_ARCHIVE = RemoteFile(
    name="cifar-10-python.tar.gz",
    url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
)
GENERATED_IMAGES = 2000


def cifar10_generated(data_root: Path) -> str:
    """Offline CIFAR-shaped images: 32x32x3, 10 classes, each a coloured square whose colour
    and position depend on the class, on a noisy background. Learnable, not CIFAR."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, len(CIFAR_CLASS_NAMES), size=GENERATED_IMAGES)
    images = rng.integers(0, 96, size=(GENERATED_IMAGES, CIFAR_SIZE, CIFAR_SIZE, 3))
    for image, label in zip(images, labels):
        row, col = divmod(int(label), 5)
        top, left = 4 + row * 14 + rng.integers(-2, 3), 2 + col * 6 + rng.integers(-1, 2)
        image[top : top + 10, left : left + 6] = (80 + 17 * label, 255 - 20 * label, 60 + (label % 3) * 80)
    count = write_image_examples(data_root, images.astype(np.uint8), labels)
    return f"generated {count} CIFAR-shaped images (class-coloured squares on noise; offline stand-in)"


def cifar10_downloaded(data_root: Path) -> str:
    """All 60,000 CIFAR-10 images (train and test batches; ImportExampleGen re-splits them)."""
    import pickle
    import tarfile

    images, labels = [], []
    with tarfile.open(fetch(CIFAR_ARCHIVE), "r:gz") as archive:
        for member in sorted(m.name for m in archive.getmembers() if "_batch" in m.name):
            batch = pickle.load(archive.extractfile(member), encoding="bytes")
            # Rows are 3 colour planes of 32x32: to height x width x channel.
            images.append(batch[b"data"].reshape(-1, 3, CIFAR_SIZE, CIFAR_SIZE).transpose(0, 2, 3, 1))
            labels.extend(batch[b"labels"])
    count = write_image_examples(data_root, np.concatenate(images), labels)
    return f"CIFAR-10 from {CIFAR_ARCHIVE.url} ({count} images)"
