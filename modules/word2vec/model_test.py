"""The word2vec package on a few hand-made pairs: one vocabulary for target and context words,
the notes' two-embedding model, and the `neighbours` signature on hand-set vectors."""

import math
import shutil

import numpy as np
import pytest
import tensorflow as tf

from data import skipgrams
from modules.common import export, testing
from modules.word2vec import features, model, preprocessing

# (target, five contexts, position of the true one)
PAIRS = [
    ("king", ("queen", "night", "day", "love", "crown"), 0),
    ("queen", ("night", "king", "day", "love", "crown"), 1),
    ("night", ("king", "queen", "day", "love", "crown"), 2),
    ("day", ("king", "queen", "love", "night", "crown"), 3),
]
RAW_SPEC = {
    skipgrams.TARGET_KEY: tf.io.FixedLenFeature([1], tf.string),
    skipgrams.CONTEXT_KEY: tf.io.FixedLenFeature([features.CONTEXTS], tf.string),
    skipgrams.LABEL_KEY: tf.io.FixedLenFeature([1], tf.int64),
}
# Hand-set target vectors: king and queen point one way, night and day another, crown
# between king and night, love opposite king.
VECTORS = {
    "king": [1.0, 0.0, 0.0],
    "queen": [0.9, 0.1, 0.0],
    "night": [0.0, 1.0, 0.0],
    "day": [0.1, 0.9, 0.0],
    "crown": [0.6, 0.5, 0.0],
    "love": [-1.0, 0.0, 0.2],
}


def _example(target: str, contexts, label: int) -> bytes:
    example = tf.train.Example()
    example.features.feature[skipgrams.TARGET_KEY].bytes_list.value.append(target.encode())
    example.features.feature[skipgrams.CONTEXT_KEY].bytes_list.value.extend(c.encode() for c in contexts)
    example.features.feature[skipgrams.LABEL_KEY].int64_list.value.append(label)
    return example.SerializeToString()


@pytest.fixture(scope="module")
def transformed(tmp_path_factory):
    examples = [_example(*pair) for pair in PAIRS]
    return testing.run_transform(preprocessing.preprocessing_fn, examples, RAW_SPEC, tmp_path_factory.mktemp("w2v"))


@pytest.fixture(scope="module")
def hand_set_model(transformed):
    """The model with target vectors set by hand (zero beyond the third dimension)."""
    _, tf_transform_output = transformed
    keras_model = model.build_keras_model(tf_transform_output)
    words = model.vocabulary_words(tf_transform_output)
    layer = keras_model.get_layer(model.EMBEDDING_LAYER)
    weights = np.zeros_like(layer.get_weights()[0])
    for row, word in enumerate(words):
        weights[row, :3] = VECTORS[word]
    weights[len(words), :3] = VECTORS["king"]  # the OOV row, identical to king: never a neighbour
    layer.set_weights([weights])
    return keras_model


@pytest.fixture(scope="module")
def neighbours(hand_set_model, transformed, tmp_path_factory):
    """The `neighbours` signature of the exported model, loaded from a copy of the export
    after Transform's output is gone: the vocabulary travels as an asset."""
    _, tf_transform_output = transformed
    export_dir = tmp_path_factory.mktemp("w2v_export") / "model"
    export.export_serving_model(
        hand_set_model,
        tf_transform_output,
        str(export_dir),
        features.SERVING_FEATURE_KEYS,
        model.context_predictions(tf_transform_output),
        extra_signatures=model.neighbours_signature,
    )
    moved = export_dir.parent / "moved"
    shutil.copytree(export_dir, moved)
    shutil.rmtree(export_dir)
    return tf.saved_model.load(str(moved)).signatures[model.NEIGHBOURS_SIGNATURE]


def _ask(neighbours, words, k: int):
    answer = neighbours(word=tf.constant(words), k=tf.constant(k, tf.int32))
    return answer[model.NEIGHBOURS_OUTPUT].numpy().astype(str), answer[model.SCORES_OUTPUT].numpy()


def test_target_and_context_words_share_one_vocabulary(transformed):
    outputs, tf_transform_output = transformed
    words = model.vocabulary_words(tf_transform_output)
    assert sorted(words) == sorted(VECTORS)
    for (target, contexts, label), row in zip(PAIRS, outputs):
        assert words[row[features.TRANSFORMED_TARGET_KEY][0]] == target
        assert [words[i] for i in row[features.TRANSFORMED_CONTEXT_KEY]] == list(contexts)
        assert row[features.TRANSFORMED_LABEL_KEY].tolist() == [label]


def test_model_is_the_notes_two_embeddings_and_five_logits(transformed):
    outputs, tf_transform_output = transformed
    keras_model = model.build_keras_model(tf_transform_output)
    rows = len(VECTORS) + features.NUM_OOV_BUCKETS
    assert keras_model.get_layer(model.EMBEDDING_LAYER).get_weights()[0].shape == (rows, model.EMBEDDING_DIM)
    assert keras_model.get_layer(model.CONTEXT_EMBEDDING_LAYER).get_weights()[0].shape == (rows, model.EMBEDDING_DIM)
    batch = {name: np.stack([row[name] for row in outputs]) for name in keras_model.input_names}
    assert keras_model(batch).shape == (len(PAIRS), features.CONTEXTS)


def test_neighbours_are_the_nearest_words_by_cosine_never_the_word_itself(neighbours):
    names, scores = _ask(neighbours, ["king", "night"], 2)
    assert names.tolist() == [["queen", "crown"], ["day", "crown"]]
    king, queen = np.array(VECTORS["king"]), np.array(VECTORS["queen"])
    assert scores[0, 0] == pytest.approx(king @ queen / np.linalg.norm(queen), rel=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 0)


def test_neighbours_leave_out_the_oov_row_and_clip_k(neighbours):
    names, _ = _ask(neighbours, ["queen"], 100)
    assert names.shape == (1, len(VECTORS) - 1)  # every other word, once; OOV (= king's vector) not among them
    assert sorted(names[0]) == sorted(set(VECTORS) - {"queen"})


def test_an_unknown_word_gets_empty_neighbours_and_nan_scores(neighbours):
    names, scores = _ask(neighbours, ["xyzzy", "love"], 5)
    assert names[0].tolist() == [model.UNKNOWN_NEIGHBOUR] * 5 and np.all(np.isnan(scores[0]))
    assert names[1, -1] == "king" and not np.any(np.isnan(scores[1]))
    assert model.neighbour_lines(neighbours, ["xyzzy"], 3) == ["Neighbours of 'xyzzy': unknown word"]


def test_projector_files_hold_one_line_per_word(tmp_path):
    vectors = np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32)
    model.write_projector_files(str(tmp_path), vectors, ["the", "king"])
    assert (tmp_path / model.VECTORS_FILE).read_text() == "0.5\t-1.0\n2.0\t0.25\n"
    assert (tmp_path / model.METADATA_FILE).read_text() == "the\nking\n"


def test_predictions_are_softmax_scores_and_the_likeliest_position(transformed):
    _, tf_transform_output = transformed
    head = model.context_predictions(tf_transform_output)
    answer = head(tf.constant([[0.0, 3.0, 0.0, 0.0, 0.0]]))
    assert answer["true_context"].numpy().tolist() == [1]
    assert answer["scores"].numpy().sum() == pytest.approx(1.0)
    assert answer["scores"].numpy()[0, 1] == pytest.approx(math.exp(3) / (math.exp(3) + 4))
