"""Feature names for the siamese model: a pair of images and whether they match."""

from data.fashion_mnist import FASHION_SIZE
from data.fashion_mnist_pairs import LEFT_KEY, PAIR_LABEL_KEY, RIGHT_KEY
from modules.common.features import transformed_name

IMAGE_KEYS = (LEFT_KEY, RIGHT_KEY)
TRANSFORMED_LABEL_KEY = transformed_name(PAIR_LABEL_KEY)
IMAGE_SIZE = FASHION_SIZE
# The corrected decision rule (catalogue bug 142): a pair is "same" when distance < 0.5.
DISTANCE_THRESHOLD = 0.5
