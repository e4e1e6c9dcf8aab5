"""Fixtures for the char-RNN tests: real chunks of the text, their Transform output, and a
small untrained model exported with its signatures."""

from pathlib import Path
from typing import List, Tuple

import pytest
import tensorflow as tf
import tensorflow_transform as tft

from data import char_sequences
from modules.common import export, testing
from modules.shakespeare_char_gru import features, model, preprocessing

CHUNKS = 40
TINY = model.NetworkSize(embedding_dim=8, rnn_units=16)


@pytest.fixture(scope="session")
def transformed(tmp_path_factory) -> Tuple[List[bytes], List[dict], tft.TFTransformOutput]:
    """The first CHUNKS chunks as tf.Examples, and their Transform outputs."""
    work = tmp_path_factory.mktemp("shakespeare_char_gru")
    char_sequences.shared(work / "data")
    examples, spec = testing.read_tfrecord_rows(work / "data" / char_sequences.OUTPUT_FILE_NAME, CHUNKS)
    outputs, tf_transform_output = testing.run_transform(preprocessing.preprocessing_fn, examples, spec, work)
    return examples, outputs, tf_transform_output


@pytest.fixture(scope="session")
def tiny_model(transformed) -> tf.keras.Model:
    """An untrained small model whose [UNK] logit is far above the others: sampling
    without the notes' mask would write [UNK] nearly every time."""
    _, _, tf_transform_output = transformed
    tf.keras.utils.set_random_seed(0)
    keras_model = model.build_keras_model(tf_transform_output, TINY)
    logits = keras_model.get_layer("logits")
    bias = logits.bias.numpy()
    bias[-1] = 20.0
    logits.bias.assign(bias)
    return keras_model


@pytest.fixture(scope="session")
def exported(transformed, tiny_model, tmp_path_factory):
    _, _, tf_transform_output = transformed
    directory = tmp_path_factory.mktemp("shakespeare_char_gru_export") / "model"
    export.export_serving_model(
        tiny_model,
        tf_transform_output,
        str(directory),
        features.SERVING_FEATURE_KEYS,
        model.next_character_predictions(tf_transform_output),
        extra_signatures=model.generate_signature,
    )
    return tf.saved_model.load(str(Path(directory)))
