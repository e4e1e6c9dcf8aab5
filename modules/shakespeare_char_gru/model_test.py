"""The notes' network, and `generate`: the notes' OneStep loop as a signature."""

import numpy as np
import pytest
import tensorflow as tf

from modules.common import signatures
from modules.shakespeare_char_gru import features, model
from modules.shakespeare_char_gru.conftest import TINY


def _generate(exported, prompts, num_chars=40, temperature=1.0, seed=3) -> list:
    answer = exported.signatures[model.GENERATE](
        prompt=tf.constant(prompts),
        num_chars=tf.constant(num_chars, tf.int32),
        temperature=tf.constant(temperature, tf.float32),
        seed=tf.constant(seed, tf.int64),
    )
    return [text.decode("utf-8") for text in answer["text"].numpy()]


def test_the_notes_size_is_embedding_256_and_gru_1024(transformed):
    _, _, tf_transform_output = transformed
    keras_model = model.build_keras_model(tf_transform_output, model.NOTES_SIZE)
    assert keras_model.get_layer("embedding").output_dim == 256
    assert keras_model.get_layer("gru").units == 1024
    assert keras_model.get_layer("logits").units == model.vocabulary_size(tf_transform_output)
    assert model.FULL_TRAINER.build_model(tf_transform_output).get_layer("gru").units == 1024
    assert model.TRAINER.build_model(tf_transform_output).get_layer("gru").units == model.DEFAULT_SIZE.rnn_units


def test_generate_returns_each_prompt_and_exactly_num_chars_more(exported):
    prompts = ["ROMEO:", "", "Où est-il?\n"]  # different lengths, an empty one, characters the vocabulary lacks
    texts = _generate(exported, prompts, num_chars=40)
    for prompt, text in zip(prompts, texts):
        assert text.startswith(prompt)
        assert len(text) == len(prompt) + 40  # in characters: [UNK] (which decodes to "") never comes out
    assert _generate(exported, ["ROMEO:"], num_chars=0) == ["ROMEO:"]


def test_generate_never_writes_unknown_characters(exported, transformed):
    """The tiny model's [UNK] logit is +20 (conftest): only the mask keeps it out."""
    _, _, tf_transform_output = transformed
    known = {character.decode() for character in model.characters_of(tf_transform_output)}
    (text,) = _generate(exported, ["ROMEO:"], num_chars=300)
    assert len(text) == 306 and set(text[6:]) <= known


def test_generate_is_a_function_of_its_seed(exported):
    first = _generate(exported, ["ROMEO:", "JULIET:"], seed=3)
    assert _generate(exported, ["ROMEO:", "JULIET:"], seed=3) == first
    assert _generate(exported, ["ROMEO:", "JULIET:"], seed=4) != first


def test_generate_reads_the_prompt_as_the_model_does(exported, transformed, tiny_model):
    """After a 100-character prompt, a near-zero temperature picks the character the Keras
    model scores highest at its last position: the cell loop and the unrolled GRU agree."""
    examples, outputs, tf_transform_output = transformed
    characters = model.characters_of(tf_transform_output)
    for output in outputs[:4]:
        input_ids = output[features.INPUT_IDS_KEY]
        prompt = "".join(characters[i].decode() for i in input_ids)
        logits = tiny_model(input_ids[np.newaxis, :]).numpy()[0, -1, :-1]  # [UNK] is masked
        (text,) = _generate(exported, [prompt], num_chars=1, temperature=1e-4)
        assert text[-1] == characters[int(np.argmax(logits))].decode()


def test_generate_refuses_a_temperature_of_zero(exported):
    with pytest.raises(tf.errors.InvalidArgumentError, match="temperature must be > 0"):
        _generate(exported, ["ROMEO:"], temperature=0.0)


def test_predictions_are_next_character_probabilities_at_every_position(exported, transformed):
    examples, _, tf_transform_output = transformed
    answer = exported.signatures[signatures.SERVING_EXAMPLES](examples=tf.constant(examples[:2]))
    vocabulary = model.vocabulary_size(tf_transform_output)
    assert answer["scores"].shape == (2, features.SEQUENCE_LENGTH, vocabulary)
    np.testing.assert_allclose(answer["scores"].numpy().sum(axis=-1), 1.0, rtol=1e-5)
    assert answer["classes"].shape == (2, features.SEQUENCE_LENGTH)


def test_the_looped_twin_that_trains_computes_what_the_unrolled_model_serves(transformed):
    """`fit_looped` trains a copy whose GRU loops and hands its weights over: the same
    weights must give the same logits in both."""
    _, outputs, tf_transform_output = transformed
    unrolled = model.build_keras_model(tf_transform_output, TINY)
    looped = tf.keras.models.clone_model(unrolled, clone_function=model.looped_layer)
    looped.set_weights(unrolled.get_weights())
    assert unrolled.get_layer("gru").unroll and not looped.get_layer("gru").unroll
    input_ids = np.array([output[features.INPUT_IDS_KEY] for output in outputs[:4]])
    np.testing.assert_allclose(looped(input_ids).numpy(), unrolled(input_ids).numpy(), atol=1e-5)


def test_the_unigram_baseline_is_exp_of_the_character_entropy():
    targets = np.array([[0, 1, 2, 3], [0, 1, 2, 3]])  # four characters, equally often: perplexity 4
    split = tf.data.Dataset.from_tensors(({}, targets))
    assert model.unigram_perplexity(split, vocabulary=6) == pytest.approx(4.0)
    skewed = tf.data.Dataset.from_tensors(({}, np.array([[0, 0, 0, 1]])))
    assert model.unigram_perplexity(skewed, vocabulary=2) == pytest.approx(np.exp(-(0.75 * np.log(0.75) + 0.25 * np.log(0.25))))
