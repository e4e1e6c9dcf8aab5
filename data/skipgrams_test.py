"""The skip-gram examples follow the notes' pipeline: vocabulary, window, subsampling table,
log-uniform negatives that never hit the true context, shuffled contexts, determinism."""

import numpy as np
import pytest

from data import skipgrams

# tf.keras.preprocessing.sequence.make_sampling_table(size=10), the notes' demo (L6183).
KERAS_SAMPLING_TABLE_10 = [0.00315225, 0.00315225, 0.00547597, 0.00741556, 0.00912817, 0.01068435, 0.01212381, 0.01347162, 0.01474487, 0.0159558]
# A sampling factor that keeps every word as a target (table 1 from rank 2 on): a text this
# short has no word rare enough to survive the default subsampling.
KEEP_EVERY_TARGET = 1.0
# The first lines of the play; every window pair is checked against the lines.
TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n" * 3


def test_standardize_lowercases_and_strips_punctuation():
    assert skipgrams.standardize("Before we proceed any further, hear me speak.") == "before we proceed any further hear me speak"
    assert skipgrams.standardize("O, Romeo! 'tis I--") == "o romeo tis i"


def test_non_empty_lines_drop_blank_lines():
    assert skipgrams.non_empty_lines("a\n\nb\n") == ["a", "b"]


def test_vocabulary_is_padding_unknown_then_most_frequent_first():
    lines = [["b", "a", "b", "c"], ["c", "d", "b"]]
    assert skipgrams.build_vocabulary(lines, size=5) == ["", "[UNK]", "b", "c", "d"]  # ties: later word first, as Keras


def test_vectorize_keeps_the_first_ten_tokens_and_pads_with_zero():
    vocabulary = ["", "[UNK]", "a", "b"]
    sequences = skipgrams.vectorize([["a"] * 12, ["b", "zzz"]], vocabulary)
    assert sequences.shape == (2, skipgrams.SEQUENCE_LENGTH)
    assert sequences[0].tolist() == [2] * 10
    assert sequences[1].tolist() == [3, 1] + [0] * 8


def test_sampling_table_is_keras_make_sampling_table():
    np.testing.assert_allclose(skipgrams.sampling_table(10), KERAS_SAMPLING_TABLE_10, rtol=1e-6)


def test_sampling_table_keeps_rarer_words_more_often():
    table = skipgrams.sampling_table(skipgrams.VOCAB_SIZE)
    assert np.all(np.diff(table[1:]) >= 0)
    assert np.all((table > 0) & (table <= 1))


def test_positive_pairs_are_the_words_within_the_window():
    sequences = np.array([[2, 3, 4, 5, 1, 6, 0, 0, 0, 0]])
    pairs = skipgrams.positive_pairs(sequences, np.ones(8), 2, np.random.default_rng(0))
    expected = {(2, 3), (2, 4), (3, 2), (3, 4), (3, 5), (4, 2), (4, 3), (4, 5), (5, 3), (5, 4), (5, 6), (6, 5)}
    assert sorted(map(tuple, pairs.tolist())) == sorted(expected)  # [UNK] (1) and padding (0) in no pair


def test_positive_pairs_drop_targets_the_table_subsamples():
    sequences = np.array([[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]])
    table = np.ones(12)
    table[3] = 0.0
    pairs = skipgrams.positive_pairs(sequences, table, 2, np.random.default_rng(0))
    assert 3 not in pairs[:, 0] and 3 in pairs[:, 1]


def test_log_uniform_candidates_follow_the_zipf_distribution():
    range_max = skipgrams.VOCAB_SIZE
    draws = skipgrams.log_uniform_candidates(np.random.default_rng(0), (200_000,), range_max)
    assert draws.min() >= 0 and draws.max() < range_max
    expected = np.log((np.arange(4) + 2) / (np.arange(4) + 1)) / np.log(range_max + 1)
    np.testing.assert_allclose(np.bincount(draws, minlength=4)[:4] / draws.size, expected, atol=0.003)


def test_negatives_are_distinct_words_never_the_true_context():
    true_contexts = np.full(5000, 2)  # "the": the likeliest real-word draw
    negatives = skipgrams.negative_samples(true_contexts, 4, skipgrams.VOCAB_SIZE, np.random.default_rng(1))
    assert negatives.shape == (5000, 4)
    assert np.all(negatives > skipgrams.UNKNOWN_ID) and np.all(negatives != 2)
    assert all(len(set(row)) == 4 for row in negatives.tolist())


def test_examples_hold_the_true_context_at_the_label_position():
    examples = skipgrams.make_skipgram_examples(TEXT, seed=3, sampling_factor=KEEP_EVERY_TARGET)
    words = examples.vocabulary
    assert len(examples.targets) > 0
    assert examples.contexts.shape == (len(examples.targets), skipgrams.CONTEXTS_PER_EXAMPLE)
    lines = [skipgrams.standardize(line).split() for line in skipgrams.non_empty_lines(TEXT)]
    within_window = {
        (tokens[i], tokens[j])
        for tokens in lines
        for i in range(min(len(tokens), 10))
        for j in range(max(0, i - 2), min(len(tokens), 10, i + 3))
        if i != j
    }
    for target, contexts, label in zip(examples.targets, examples.contexts, examples.labels):
        assert (words[target], words[contexts[label]]) in within_window
        assert len(set(contexts.tolist())) == skipgrams.CONTEXTS_PER_EXAMPLE


def test_true_context_positions_are_spread_over_all_five():
    examples = skipgrams.make_skipgram_examples(TEXT * 50, seed=3, sampling_factor=KEEP_EVERY_TARGET)
    counts = np.bincount(examples.labels, minlength=5)
    assert counts.min() > 0.1 * len(examples.labels)


@pytest.mark.parametrize("seed", [35, 7])
def test_examples_are_deterministic_in_the_seed_passed(seed):
    first, again = (skipgrams.make_skipgram_examples(TEXT * 20, seed=seed, sampling_factor=KEEP_EVERY_TARGET) for _ in range(2))
    other = skipgrams.make_skipgram_examples(TEXT * 20, seed=seed + 1, sampling_factor=KEEP_EVERY_TARGET)
    for name in ("targets", "contexts", "labels"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.contexts, other.contexts)
