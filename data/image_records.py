"""What the image datasets share: the tf.Example keys and file name of their records, and
the writers that make them. Each dataset's own module says where its images come from.

One TFRecord file, `images.tfrecord`, for ImportExampleGen, in one of two shapes:
- pixel records (`write_image_examples`): `image`, the row-major uint8 pixel values as
  int64s, and `label` (int64). Fashion-MNIST (`data.fashion_mnist`) and CIFAR-10
  (`data.cifar10`); `pixel_records` encodes them (and the siamese model's image pairs).
- JPEG records (`image_folder_examples`): `image_raw`, a JPEG file's bytes, and `label`,
  the index of its class folder. Folder datasets, one sub-folder per class: flowers
  (`data.flowers`) and cats and dogs (`data.cats_and_dogs`); their offline stand-in is a
  folder that `generate_image_folder` draws.
"""

import functools
from pathlib import Path
from typing import Mapping, Sequence

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
# Images encoded at a time by `pixel_records`.
ENCODING_CHUNK = 1024


def _varint(value: int) -> bytes:
    """A protobuf varint; negative values as their 64-bit two's complement, as int64 fields do."""
    value &= (1 << 64) - 1
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _length_delimited(field_number: int, payload: bytes) -> bytes:
    """A protobuf field of wire type 2 (a message, a string or a packed list)."""
    return _varint(field_number << 3 | 2) + _varint(len(payload)) + payload


def _int64_feature(key: str, packed_values: bytes) -> bytes:
    """One entry of tf.train.Features' map: `key` -> Feature(int64_list=Int64List(packed values))."""
    feature = _length_delimited(3, _length_delimited(1, packed_values))
    return _length_delimited(1, _length_delimited(1, key.encode()) + _length_delimited(2, feature))


@functools.lru_cache(maxsize=None)
def _int64_feature_head(key: str, packed_length: int) -> bytes:
    """The bytes before `packed_length` bytes of packed values in `key`'s entry: the same
    for every image whose values take that many bytes, so made once per length."""
    entry = _int64_feature(key, bytes(packed_length))
    return entry[: len(entry) - packed_length]


@functools.lru_cache(maxsize=None)
def _one_int64_feature(key: str, value: int) -> bytes:
    return _int64_feature(key, _varint(value))


def _packed_pixel_varints(pixels: np.ndarray) -> tuple[np.ndarray, list]:
    """Every row of uint8 `pixels` [N, P] as packed varints, all at once. A value below 128
    is its own byte; one from 128 is two, itself (its low 7 bits | 0x80) then 1. Returns
    the bytes of all rows in order and the N + 1 offsets where rows start and end."""
    two_bytes = pixels >= 0x80
    # Little-endian uint16 pairs: (value, 1) and the mask (True, two_bytes) byte by byte.
    candidates = (pixels.astype("<u2") | 0x100).view(np.uint8).ravel()
    used = (two_bytes.astype("<u2") << 8 | 1).view(np.bool_).ravel()
    row_ends = np.cumsum(pixels.shape[1] + two_bytes.sum(axis=1))
    return candidates[used], [0] + row_ends.tolist()


def pixel_records(pixel_features: Mapping[str, np.ndarray], label_key: str, labels: Sequence[int]) -> list:
    """Serialized tf.Examples, one per row: each of `pixel_features` (uint8 [N, ...], row
    i's values flattened) as an int64 list, and `labels[i]` as one int64 under `label_key`.
    Encoded with NumPy rather than built as protos one by one: tens of thousands of images
    take a second instead of several. Chunks keep the arrays small enough for the
    allocator to reuse."""
    for key, pixels in pixel_features.items():
        if pixels.dtype != np.uint8:
            raise ValueError(f"pixel feature {key!r} must hold uint8 values, not {pixels.dtype}")
    flat = {key: pixels.reshape(len(pixels), -1) for key, pixels in pixel_features.items()}
    records = []
    for first in range(0, len(labels), ENCODING_CHUNK):
        rows = slice(first, first + ENCODING_CHUNK)
        chunk = {key: _packed_pixel_varints(pixels[rows]) for key, pixels in flat.items()}
        for row, label in enumerate(labels[rows]):
            features = []
            for key, (encoded, bounds) in chunk.items():
                start, end = bounds[row], bounds[row + 1]
                features += [_int64_feature_head(key, end - start), encoded[start:end].tobytes()]
            features.append(_one_int64_feature(label_key, int(label)))
            records.append(_length_delimited(1, b"".join(features)))
    return records


def write_image_examples(data_root: Path, images: np.ndarray, labels: Sequence[int]) -> int:
    """Writes uint8 images [N, H, W(, C)] and labels as pixel records (if the bytes changed)."""
    write_tfrecords_if_changed(data_root / OUTPUT_FILE_NAME, pixel_records({IMAGE_KEY: images}, LABEL_KEY, labels))
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
