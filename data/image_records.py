"""What the image datasets share: the tf.Example keys and file name of their records, and
the writers that make them. Each dataset's own module says where its images come from.

One TFRecord file, `images.tfrecord`, for ImportExampleGen, in one of two shapes:
- pixel records (`write_image_examples`): `image`, the row-major uint8 pixel values as
  int64s, and `label` (int64). Fashion-MNIST (`data.fashion_mnist`) and CIFAR-10
  (`data.cifar10`).
- JPEG records (`image_folder_examples`): `image_raw`, a JPEG file's bytes, and `label`,
  the index of its class folder. Folder datasets, one sub-folder per class: flowers
  (`data.flowers`) and cats and dogs (`data.cats_and_dogs`); their offline stand-in is a
  folder that `generate_image_folder` draws.
"""

from pathlib import Path
from typing import Sequence

import numpy as np

from data.files import write_if_changed, write_tfrecords_if_changed

IMAGE_KEY = "image"
LABEL_KEY = "label"
JPEG_KEY = "image_raw"
OUTPUT_FILE_NAME = "images.tfrecord"
JPEG_SUFFIXES = (".jpg", ".jpeg")
# The offline stand-in folder: JPEGs per class, and their width and height.
GENERATED_PER_CLASS = 24
GENERATED_SIZE = 96


def write_image_examples(data_root: Path, images: np.ndarray, labels: Sequence[int]) -> int:
    """Writes uint8 images [N, H, W(, C)] and labels as pixel records (if the bytes changed)."""
    import tensorflow as tf  # to build the tf.Examples

    def examples():
        for image, label in zip(images.reshape(len(images), -1), labels):
            example = tf.train.Example()
            example.features.feature[IMAGE_KEY].int64_list.value.extend(image.astype(np.int64))
            example.features.feature[LABEL_KEY].int64_list.value.append(int(label))
            yield example.SerializeToString()

    write_tfrecords_if_changed(data_root / OUTPUT_FILE_NAME, examples())
    return len(images)


def image_folder_examples(folders: Sequence[Path], data_root: Path) -> tuple[int, tuple]:
    """Writes every JPEG under `folders/<class>/` as a JPEG record; label = the class's
    index in the sorted class names. Returns (count, class names)."""
    import tensorflow as tf  # to build the tf.Examples

    classes = tuple(sorted({p.name for folder in folders for p in folder.iterdir() if p.is_dir()}))
    if not classes:
        raise ValueError(f"no class sub-folders under {[str(f) for f in folders]}")
    jpegs = [
        (path, label)
        for folder in folders
        for label, name in enumerate(classes)
        for path in (sorted((folder / name).glob("*")) if (folder / name).is_dir() else [])
        if path.suffix.lower() in JPEG_SUFFIXES
    ]

    def examples():
        for path, label in jpegs:
            example = tf.train.Example()
            example.features.feature[JPEG_KEY].bytes_list.value.append(path.read_bytes())
            example.features.feature[LABEL_KEY].int64_list.value.append(label)
            yield example.SerializeToString()

    write_tfrecords_if_changed(data_root / OUTPUT_FILE_NAME, examples())
    return len(jpegs), classes


def generate_image_folder(folder: Path, classes: Sequence[str], per_class: int, size: int) -> Path:
    """A tiny offline image folder: per class, JPEGs of a class-coloured disc on noise."""
    import tensorflow as tf  # to encode the JPEGs

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


def generated_folder_examples(data_root: Path, classes: Sequence[str]) -> str:
    """The offline source of a folder dataset: generates a folder of `classes` beside
    `data_root` (`<data_root>-folder`), writes its JPEG records; one line describing them."""
    folder = generate_image_folder(
        data_root.parent / f"{data_root.name}-folder", classes, GENERATED_PER_CLASS, GENERATED_SIZE
    )
    count, found = image_folder_examples([folder], data_root)
    return f"generated image folder {folder} ({count} JPEGs, classes {', '.join(found)}; offline stand-in)"
