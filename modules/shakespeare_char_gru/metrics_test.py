"""Perplexity is exp(mean cross-entropy) over every character, from logits or probabilities."""

import numpy as np
import pytest
import tensorflow as tf

from modules.shakespeare_char_gru.metrics import PERPLEXITY, Perplexity

# Two sequences of three characters over a vocabulary of three.
PROBABILITIES = np.array(
    [
        [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.25, 0.25, 0.5]],
        [[0.2, 0.2, 0.6], [0.9, 0.05, 0.05], [0.3, 0.4, 0.3]],
    ],
    np.float32,
)
TARGETS = np.array([[0, 1, 2], [2, 1, 1]])


def _by_hand() -> float:
    """exp of the mean of -log p(target) over the six characters."""
    chosen = [PROBABILITIES[row, position, TARGETS[row, position]] for row in range(2) for position in range(3)]
    return float(np.exp(-np.mean(np.log(chosen))))


def test_perplexity_of_probabilities_is_exp_of_the_mean_cross_entropy_per_character():
    metric = Perplexity()
    metric.update_state(TARGETS, PROBABILITIES)
    assert metric.name == PERPLEXITY
    assert float(metric.result()) == pytest.approx(_by_hand(), rel=1e-5)


def test_perplexity_from_logits_and_across_batches_is_the_same():
    metric = Perplexity(from_logits=True)
    logits = np.log(PROBABILITIES) + 3.0  # softmax is unchanged by a constant shift
    metric.update_state(TARGETS[:1], logits[:1])
    metric.update_state(TARGETS[1:], logits[1:])
    assert float(metric.result()) == pytest.approx(_by_hand(), rel=1e-5)


def test_an_example_weight_per_sequence_weighs_its_characters():
    """TFMA passes one weight per example: it must weigh each of that example's characters."""
    metric = Perplexity()
    metric.update_state(TARGETS, PROBABILITIES, sample_weight=np.array([1.0, 0.0]))
    first_only = [PROBABILITIES[0, position, TARGETS[0, position]] for position in range(3)]
    assert float(metric.result()) == pytest.approx(float(np.exp(-np.mean(np.log(first_only)))), rel=1e-5)


def test_a_uniform_guess_has_the_vocabulary_size_as_perplexity():
    metric = Perplexity()
    metric.update_state(TARGETS, np.full_like(PROBABILITIES, 1 / 3))
    assert float(metric.result()) == pytest.approx(3.0, rel=1e-5)


def test_perplexity_round_trips_through_its_config():
    metric = tf.keras.metrics.deserialize(tf.keras.metrics.serialize(Perplexity(from_logits=True)))
    assert isinstance(metric, Perplexity) and metric.from_logits
