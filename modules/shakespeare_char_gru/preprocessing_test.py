"""Transform: each chunk's 101 characters become 100 input ids and the same ids shifted by one."""

import numpy as np
import tensorflow as tf

from modules.shakespeare_char_gru import features, model, preprocessing


def test_target_is_the_input_shifted_by_one_character(transformed):
    examples, outputs, tf_transform_output = transformed
    characters = model.characters_of(tf_transform_output)
    for serialized, output in zip(examples[:3], outputs):
        text = tf.train.Example.FromString(serialized).features.feature[features.TEXT_KEY].bytes_list.value[0].decode()
        input_ids, target_ids = output[features.INPUT_IDS_KEY], output[features.TARGET_IDS_KEY]
        assert len(input_ids) == len(target_ids) == features.SEQUENCE_LENGTH
        np.testing.assert_array_equal(input_ids[1:], target_ids[:-1])
        assert "".join(characters[i].decode() for i in input_ids) == text[:-1]
        assert "".join(characters[i].decode() for i in target_ids) == text[1:]


def test_the_vocabulary_keeps_newline_and_space(transformed):
    _, _, tf_transform_output = transformed
    characters = model.characters_of(tf_transform_output)
    assert b"\n" in characters and b" " in characters
    assert len(set(characters)) == len(characters)
    assert model.vocabulary_size(tf_transform_output) == len(characters) + features.OOV_BUCKETS


def test_short_texts_are_padded_to_the_oov_id_and_long_ones_cut(transformed):
    _, _, tf_transform_output = transformed
    layer = tf_transform_output.transform_features_layer()
    ids = layer({features.TEXT_KEY: tf.constant([["First"], ["x" * 300]])})[features.INPUT_IDS_KEY].numpy()
    unknown_id = model.vocabulary_size(tf_transform_output) - 1
    assert ids.shape == (2, features.SEQUENCE_LENGTH)
    assert (ids[0, 5:] == unknown_id).all() and (ids[0, :5] != unknown_id).all()
    assert (ids[1] == ids[1, 0]).all()


def test_code_points_of_non_ascii_text():
    points = preprocessing.code_points(tf.constant(["é\n", ""]), 3).numpy()
    assert points.tolist() == [[233, 10, preprocessing.NO_CODE_POINT], [preprocessing.NO_CODE_POINT] * 3]
