"""MNIST digits as tf.Examples: `image_floats` (784 floats in [-0.5, 0.5]) and `image_class`.

- `shared` (offline): copies `../shared/data/mnist/mnist.tfrecord` (1,000 examples from
  TFX's MNIST example).
- `downloaded`: the first 1,000 training and 1,000 test images of Keras' MNIST file,
  https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz (the notes'
  save/load tutorial uses exactly these), in the same format; ImportExampleGen then
  re-splits them by hash.
"""

from pathlib import Path

from data.download import RemoteFile, fetch, shared_file
from data.files import write_if_changed, write_tfrecords_if_changed

IMAGE_KEY = "image_floats"
LABEL_KEY = "image_class"
IMAGE_PIXELS = 28 * 28
OUTPUT_FILE_NAME = "mnist.tfrecord"
SHARED_FILE = Path("mnist") / "mnist.tfrecord"
# The checksum tf_keras pins for this file (tf_keras/src/datasets/mnist.py).
KERAS_MNIST = RemoteFile(
    name="mnist.npz",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
)
NOTES_SUBSET = 1000  # the notes train on the first 1,000 and test on the first 1,000


def shared(data_root: Path) -> str:
    source = shared_file(SHARED_FILE)
    write_if_changed(data_root / OUTPUT_FILE_NAME, source.read_bytes())
    return f"{source} (1000 examples)"


def downloaded(data_root: Path) -> str:
    import numpy as np
    import tensorflow as tf  # to build the tf.Examples

    with np.load(fetch(KERAS_MNIST)) as arrays:
        images = np.concatenate([arrays["x_train"][:NOTES_SUBSET], arrays["x_test"][:NOTES_SUBSET]])
        labels = np.concatenate([arrays["y_train"][:NOTES_SUBSET], arrays["y_test"][:NOTES_SUBSET]])

    def examples():
        for image, label in zip(images.reshape(-1, IMAGE_PIXELS) / 255.0 - 0.5, labels):
            example = tf.train.Example()
            example.features.feature[IMAGE_KEY].float_list.value.extend(image.astype("float32"))
            example.features.feature[LABEL_KEY].int64_list.value.append(int(label))
            yield example.SerializeToString()

    write_tfrecords_if_changed(data_root / OUTPUT_FILE_NAME, examples())
    return f"{KERAS_MNIST.url}: first {NOTES_SUBSET} train + first {NOTES_SUBSET} test images"
