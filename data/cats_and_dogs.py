"""Cats and dogs photos as JPEG records (`data.image_records`): 2 classes, one folder each.

- `cats_and_dogs_generated` (offline): a generated folder of the 2 classes, 24 JPEGs each
  (class-coloured discs on noise). Learnable, not pets.
- `cats_and_dogs_downloaded`: the 3,000 photos of cats_and_dogs_filtered (its train and
  validation folders; the pipeline re-splits them by hash),
  https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip, extracted once
  beside the cached archive.
"""

from pathlib import Path

from data.download import RemoteFile, fetch
from data.image_records import generated_folder_examples, image_folder_examples

CATS_AND_DOGS = RemoteFile(
    name="cats_and_dogs_filtered.zip",
    url="https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",
    sha256=None,  # none published: the first download's checksum is recorded and enforced
)
PET_CLASSES = ("cats", "dogs")


def cats_and_dogs_generated(data_root: Path) -> str:
    return generated_folder_examples(data_root, PET_CLASSES)


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
