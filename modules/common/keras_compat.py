"""Keeps AutoGraph out of Keras 2's own code.

AutoGraph leaves libraries alone that its config lists as DoNotConvert; TF 2.16 lists
`keras` but not `tf_keras`, the package Keras 2 moved to. Without this rule every
Keras internal that `fit` or a signature trace touches is transpiled first, which makes
a model's first `fit` many times slower (bench/results/design_measurements.md). Keras
code needs no conversion, as it did not under its old name.
"""

from tensorflow.python.autograph.core import config, config_lib

TF_KERAS_RULE = config_lib.DoNotConvert("tf_keras")


def skip_autograph_for_tf_keras() -> None:
    """Adds the DoNotConvert rule for tf_keras once; later calls do nothing."""
    if TF_KERAS_RULE not in config.CONVERSION_RULES:
        config.CONVERSION_RULES = config.CONVERSION_RULES + (TF_KERAS_RULE,)
