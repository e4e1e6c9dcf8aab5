"""Transform and Trainer code, one package per model.

The models here are written against Keras 2 (tf_keras): TFT's Keras layers and
TFMA need it, and TFT 1.16 would otherwise flip the setting at import time, so
which Keras a module got would depend on import order. This is the one place it is
set. Every entry point imports this package before TensorFlow: the CLI through
`pipeline`, the tests through `conftest.py`, TFX executors through the module paths
they load, and Beam worker processes inherit the variable from their parent.
"""

import os

LEGACY_KERAS_VARIABLE = "TF_USE_LEGACY_KERAS"

os.environ[LEGACY_KERAS_VARIABLE] = "1"
