"""Flower photos as JPEG records (`data.image_records`): 5 classes, one folder each.

- `flowers_generated` (offline): a generated folder of the same 5 classes, 24 JPEGs each
  (class-coloured discs on noise). Learnable, not flowers.
- `flowers_downloaded`: TensorFlow's flower_photos (3,670 JPEGs),
  https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz,
  extracted once beside the cached archive.
"""

from pathlib import Path

from data.download import RemoteFile, fetch
from data.image_records import generated_folder_examples, image_folder_examples

FLOWER_PHOTOS = RemoteFile(
    name="flower_photos.tgz",
    url="https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz",
    sha256=None,  # none published: the first download's checksum is recorded and enforced
)
FLOWER_CLASSES = ("daisy", "dandelion", "roses", "sunflowers", "tulips")


def flowers_generated(data_root: Path) -> str:
    return generated_folder_examples(data_root, FLOWER_CLASSES)


def flowers_downloaded(data_root: Path) -> str:
    import tarfile

    archive = fetch(FLOWER_PHOTOS)
    extracted = archive.parent / "flower_photos"
    if not extracted.is_dir():
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(archive.parent, filter="data")
    count, classes = image_folder_examples([extracted], data_root)
    return f"flower_photos from {FLOWER_PHOTOS.url} ({count} JPEGs, classes {', '.join(classes)})"
