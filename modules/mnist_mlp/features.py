"""Feature names for the MNIST models."""

from data.mnist import IMAGE_KEY, IMAGE_PIXELS, LABEL_KEY
from modules.common.features import transformed_name

TRANSFORMED_IMAGE_KEY = transformed_name(IMAGE_KEY)
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)  # what the notes' clients send: IMAGE_PIXELS as one channel
CLASS_NAMES = tuple(str(digit).encode() for digit in range(NUM_CLASSES))
__all__ = ["IMAGE_KEY", "IMAGE_PIXELS", "LABEL_KEY", "TRANSFORMED_IMAGE_KEY", "TRANSFORMED_LABEL_KEY"]
