"""Image datasets as TFRecords of tf.Examples: `image` (row-major uint8 pixel values, as
int64s) and `label` (int64), for ImportExampleGen.

- `fashion_mnist_downloaded`: Fashion-MNIST's IDX files from Keras' mirror (70,000
  images, 28x28 grey).
- `digits_offline`: scikit-learn's bundled 8x8 digits (1,797 images, values 0-16),
  resized to 28x28 and scaled to 0-255, so that the Fashion-MNIST models run unchanged
  on them. It exercises the models offline; it is not Fashion-MNIST.
"""

import gzip
from pathlib import Path
from typing import Sequence

import numpy as np

from data.download import RemoteFile, fetch
from data.files import write_if_changed

IMAGE_KEY = "image"
LABEL_KEY = "label"
OUTPUT_FILE_NAME = "images.tfrecord"
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


def write_image_examples(data_root: Path, images: np.ndarray, labels: Sequence[int]) -> int:
    """Writes uint8 images [N, H, W(, C)] and labels as tf.Examples (if the bytes changed)."""
    import tensorflow as tf  # only image sources need it, to write TFRecords

    data_root.mkdir(parents=True, exist_ok=True)
    staging = data_root / f".{OUTPUT_FILE_NAME}.new"
    with tf.io.TFRecordWriter(str(staging)) as writer:
        for image, label in zip(images.reshape(len(images), -1), labels):
            example = tf.train.Example()
            example.features.feature[IMAGE_KEY].int64_list.value.extend(image.astype(np.int64))
            example.features.feature[LABEL_KEY].int64_list.value.append(int(label))
            writer.write(example.SerializeToString())
    write_if_changed(data_root / OUTPUT_FILE_NAME, staging.read_bytes())
    staging.unlink()
    return len(images)


def resize_nearest(images: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour resize of [N, h, w] images to [N, size, size]."""
    rows = (np.arange(size) * images.shape[1] / size).astype(int)
    cols = (np.arange(size) * images.shape[2] / size).astype(int)
    return images[:, rows][:, :, cols]


def digits_offline(data_root: Path) -> str:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = resize_nearest(digits.images, FASHION_SIZE) * (255.0 / 16.0)
    count = write_image_examples(data_root, np.rint(images).astype(np.uint8), digits.target)
    return f"scikit-learn digits ({count} images, 8x8 resized to {FASHION_SIZE}x{FASHION_SIZE}; offline stand-in)"


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzip) as a uint8 array shaped by its header."""
    with gzip.open(path, "rb") as handle:
        content = handle.read()
    dimensions = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions))
    return np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def fashion_mnist_downloaded(data_root: Path) -> str:
    arrays = {part: read_idx(fetch(remote)) for part, remote in FASHION_FILES.items()}
    images = np.concatenate([arrays["train_images"], arrays["test_images"]])
    labels = np.concatenate([arrays["train_labels"], arrays["test_labels"]])
    count = write_image_examples(data_root, images, labels)
    return f"Fashion-MNIST from {FASHION_MIRROR} ({count} images)"


CIFAR_SIZE = 32
CIFAR_CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
# The checksum tf_keras pins for this file (tf_keras/src/datasets/cifar10.py).
CIFAR_ARCHIVE = RemoteFile(
    name="cifar-10-python.tar.gz",
    url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
)
GENERATED_IMAGES = 2000


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


LEFT_KEY = "left"
RIGHT_KEY = "right"
PAIR_LABEL_KEY = "same"
PAIRS_FILE_NAME = "pairs.tfrecord"


def create_pairs(labels: np.ndarray, rng: np.random.Generator) -> list:
    """The notes' `create_pairs` (L8628-8645): per class d and i < min class count - 1, a
    positive pair (d_i, d_i+1) labelled 1 and a negative pair (d_i, e_i) labelled 0, where
    e = (d + k) % 10 for a random k in 1..9. Returns (left index, right index, label)."""
    classes = sorted(set(labels.tolist()))
    indices = {d: np.flatnonzero(labels == d) for d in classes}
    n = min(len(i) for i in indices.values()) - 1
    pairs = []
    for d in classes:
        for i in range(n):
            pairs.append((indices[d][i], indices[d][i + 1], 1))
            other = (d + int(rng.integers(1, len(classes)))) % len(classes)
            pairs.append((indices[d][i], indices[classes[other]][i], 0))
    return pairs


def write_pair_examples(data_root: Path, images: np.ndarray, labels: np.ndarray) -> int:
    import tensorflow as tf

    pairs = create_pairs(labels, np.random.default_rng(0))
    data_root.mkdir(parents=True, exist_ok=True)
    staging = data_root / f".{PAIRS_FILE_NAME}.new"
    flat = images.reshape(len(images), -1).astype(np.int64)
    with tf.io.TFRecordWriter(str(staging)) as writer:
        for left, right, same in pairs:
            example = tf.train.Example()
            example.features.feature[LEFT_KEY].int64_list.value.extend(flat[left])
            example.features.feature[RIGHT_KEY].int64_list.value.extend(flat[right])
            example.features.feature[PAIR_LABEL_KEY].int64_list.value.append(same)
            writer.write(example.SerializeToString())
    write_if_changed(data_root / PAIRS_FILE_NAME, staging.read_bytes())
    staging.unlink()
    return len(pairs)


def digit_pairs_offline(data_root: Path) -> str:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.rint(resize_nearest(digits.images, FASHION_SIZE) * (255.0 / 16.0)).astype(np.uint8)
    count = write_pair_examples(data_root, images, digits.target)
    return f"{count} pairs of scikit-learn digits (28x28; the notes' create_pairs)"


def fashion_pairs_downloaded(data_root: Path) -> str:
    """Pairs from Fashion-MNIST's test images, the course lab's data."""
    images = read_idx(fetch(FASHION_FILES["test_images"]))
    labels = read_idx(fetch(FASHION_FILES["test_labels"]))
    count = write_pair_examples(data_root, images, labels)
    return f"{count} pairs of Fashion-MNIST test images from {FASHION_MIRROR} (the notes' create_pairs)"


# Image folders (one sub-folder per class) as tf.Examples of encoded JPEG bytes.
JPEG_KEY = "image_raw"
FOLDER_FILE_NAME = "images.tfrecord"
JPEG_SUFFIXES = (".jpg", ".jpeg")
FLOWER_PHOTOS = RemoteFile(
    name="flower_photos.tgz",
    url="https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz",
    sha256=None,  # none published: the first download's checksum is recorded and enforced
)
FLOWER_CLASSES = ("daisy", "dandelion", "roses", "sunflowers", "tulips")


def image_folder_examples(folders: Sequence[Path], data_root: Path) -> tuple[int, tuple]:
    """Writes every JPEG under `folders/<class>/` as {image_raw, label}; label = the class's
    index in the sorted class names. Returns (count, class names)."""
    import tensorflow as tf

    classes = tuple(sorted({p.name for folder in folders for p in folder.iterdir() if p.is_dir()}))
    if not classes:
        raise ValueError(f"no class sub-folders under {[str(f) for f in folders]}")
    data_root.mkdir(parents=True, exist_ok=True)
    staging = data_root / f".{FOLDER_FILE_NAME}.new"
    count = 0
    with tf.io.TFRecordWriter(str(staging)) as writer:
        for folder in folders:
            for label, name in enumerate(classes):
                for path in sorted((folder / name).glob("*")) if (folder / name).is_dir() else []:
                    if path.suffix.lower() not in JPEG_SUFFIXES:
                        continue
                    example = tf.train.Example()
                    example.features.feature[JPEG_KEY].bytes_list.value.append(path.read_bytes())
                    example.features.feature[LABEL_KEY].int64_list.value.append(label)
                    writer.write(example.SerializeToString())
                    count += 1
    write_if_changed(data_root / FOLDER_FILE_NAME, staging.read_bytes())
    staging.unlink()
    return count, classes


def generate_image_folder(folder: Path, classes: Sequence[str], per_class: int, size: int) -> Path:
    """A tiny offline image folder: per class, JPEGs of a class-coloured disc on noise."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:size, :size]
    for label, name in enumerate(classes):
        (folder / name).mkdir(parents=True, exist_ok=True)
        colour = np.array([(70 * label + 40) % 256, 255 - 45 * label, (120 + 60 * label) % 256])
        for index in range(per_class):
            image = rng.integers(0, 80, size=(size, size, 3))
            cy, cx = rng.integers(size // 4, 3 * size // 4, size=2)
            disc = (yy - cy) ** 2 + (xx - cx) ** 2 < (size // 5) ** 2
            image[disc] = colour
            jpeg = tf.io.encode_jpeg(tf.constant(image.astype(np.uint8)), quality=90).numpy()
            write_if_changed(folder / name / f"{index:03d}.jpg", jpeg)
    return folder


def flowers_generated(data_root: Path) -> str:
    folder = generate_image_folder(data_root.parent / f"{data_root.name}-folder", FLOWER_CLASSES, 24, 96)
    count, classes = image_folder_examples([folder], data_root)
    return f"generated image folder {folder} ({count} JPEGs, classes {', '.join(classes)}; offline stand-in)"


def flowers_downloaded(data_root: Path) -> str:
    import tarfile

    archive = fetch(FLOWER_PHOTOS)
    extracted = archive.parent / "flower_photos"
    if not extracted.is_dir():
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(archive.parent, filter="data")
    count, classes = image_folder_examples([extracted], data_root)
    return f"flower_photos from {FLOWER_PHOTOS.url} ({count} JPEGs, classes {', '.join(classes)})"


CATS_AND_DOGS = RemoteFile(
    name="cats_and_dogs_filtered.zip",
    url="https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",
    sha256=None,  # none published: the first download's checksum is recorded and enforced
)
PET_CLASSES = ("cats", "dogs")


def cats_and_dogs_generated(data_root: Path) -> str:
    folder = generate_image_folder(data_root.parent / f"{data_root.name}-folder", PET_CLASSES, 24, 96)
    count, classes = image_folder_examples([folder], data_root)
    return f"generated image folder {folder} ({count} JPEGs, classes {', '.join(classes)}; offline stand-in)"


def cats_and_dogs_downloaded(data_root: Path) -> str:
    """The 3,000 photos of cats_and_dogs_filtered (its train and validation folders; the
    pipeline re-splits them by hash)."""
    import zipfile

    archive = fetch(CATS_AND_DOGS)
    extracted = archive.parent / "cats_and_dogs_filtered"
    if not extracted.is_dir():
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(archive.parent)
    count, classes = image_folder_examples([extracted / "train", extracted / "validation"], data_root)
    return f"cats_and_dogs_filtered from {CATS_AND_DOGS.url} ({count} JPEGs, classes {', '.join(classes)})"
