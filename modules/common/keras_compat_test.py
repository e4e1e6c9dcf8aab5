"""AutoGraph leaves tf_keras alone, and the rule is added only once."""

from tensorflow.python.autograph.core import config
from tensorflow.python.autograph.impl import conversion

from modules.common import keras_compat


def test_tf_keras_code_is_not_converted():
    import tf_keras

    keras_compat.skip_autograph_for_tf_keras()
    keras_compat.skip_autograph_for_tf_keras()
    assert config.CONVERSION_RULES.count(keras_compat.TF_KERAS_RULE) == 1
    assert conversion.is_allowlisted(tf_keras.Model.train_step)
