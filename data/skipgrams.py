"""Skip-gram training examples from Tiny Shakespeare: the notes' word2vec (M14, L6031-6254).

The notes' pipeline, in NumPy (`make_skipgram_examples`):
1. the non-empty lines (L6065), lowercased with ASCII punctuation removed (the notes'
   `custom_standardization`, L6075-6077), split on whitespace;
2. a vocabulary as `TextVectorization(standardize=..., max_tokens=4096)` adapts it on
   `text_ds.batch(1024)` (L6079-6083; the notes write `stdize=` and `text_ds,batch`, catalogue
   bugs 85 and 86): id 0 is
   padding, id 1 `[UNK]`, then the 4,094 most frequent tokens, most frequent first (ties
   broken as Keras breaks them: the later word first);
3. each line's first `sequence_length = 10` tokens as ids (`output_sequence_length=10`);
4. positive skip-grams with `window_size = 2` (L6112), targets subsampled with Keras'
   `make_sampling_table` (`sampling_table`), as `tf.keras.preprocessing.sequence.skipgrams`
   with `negative_samples=0` (bug 89 misspells it) draws them;
5. four negatives per pair from the log-uniform (Zipf) distribution of
   `tf.random.log_uniform_candidate_sampler(unique=True, range_max=vocab_size)` (L6133-6145)
   (`log_uniform_candidates`), from a generator seeded with the seed passed in, which the
   notes ignore (catalogue bug 93: their `generate_training_data` reads the global SEED).

Where this differs from the notes, and why:
- Pairs touching `[UNK]` are dropped (Keras' skipgrams drops only padding). The words leave
  as strings so that Transform owns the vocabulary; a literal "[UNK]" would become a word of
  its own, one vector for every rare word.
- A negative is never padding, `[UNK]` or the true context. The notes' sampler can return
  all three (it does not remove accidental hits; padding alone is its likeliest draw, 8%),
  which would teach the model that the true context is a negative.
- The five contexts of an example are shuffled and `label` holds the true one's position
  (the notes put it first, label [1, 0, 0, 0, 0]): with the true context always first, a
  model could score well by learning the position instead of the words.

Each example is a tf.Example: `target` (one word), `context` (five words) and `label`
(int64, 0-4). Sources: `shared` (offline, ../shared/data/tinyshakespeare/input.txt) and
`download` (the notes' URL; catalogue bug 84 elides it).
"""

import re
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Sequence

import numpy as np

from data import shakespeare
from data.files import write_tfrecords_if_changed

TARGET_KEY = "target"
CONTEXT_KEY = "context"
LABEL_KEY = "label"
OUTPUT_FILE_NAME = "skipgrams.tfrecord"
VOCAB_SIZE = 4096  # the notes' vocab_size: TextVectorization's max_tokens, padding and [UNK] included
SEQUENCE_LENGTH = 10
WINDOW_SIZE = 2
NUM_NEGATIVES = 4
CONTEXTS_PER_EXAMPLE = 1 + NUM_NEGATIVES
SEED = 35
PADDING_ID = 0
UNKNOWN_ID = 1
PADDING = ""
UNKNOWN = "[UNK]"
# Keras' make_sampling_table default: the word frequency above which words are subsampled.
SAMPLING_FACTOR = 1e-5
EULER_GAMMA = 0.577  # as rounded in Keras' make_sampling_table
_PUNCTUATION = re.compile("[%s]" % re.escape(string.punctuation))
# Log-uniform candidates drawn per pair at a time, enough that nearly every pair finds its
# four distinct valid negatives in one round.
_CANDIDATES_PER_ROUND = 16


def standardize(line: str) -> str:
    """The notes' custom_standardization: lowercase, ASCII punctuation removed."""
    return _PUNCTUATION.sub("", line.lower())


def non_empty_lines(text: str) -> List[str]:
    """The lines TextLineDataset(...).filter(length > 0) keeps (L6065)."""
    return [line for line in text.splitlines() if line]


def build_vocabulary(token_lines: Sequence[Sequence[str]], size: int = VOCAB_SIZE) -> List[str]:
    """Padding, [UNK], then the `size - 2` most frequent tokens: TextVectorization's adapt,
    which orders by count and breaks ties by the token, both descending."""
    counts = Counter(token for tokens in token_lines for token in tokens)
    ranked = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
    return [PADDING, UNKNOWN] + [token for token, _ in ranked[: size - 2]]


def vectorize(token_lines: Sequence[Sequence[str]], vocabulary: Sequence[str], length: int = SEQUENCE_LENGTH) -> np.ndarray:
    """[lines, length] ids of each line's first `length` tokens, padded with 0, [UNK] for
    a token outside the vocabulary: what the notes' TextVectorization outputs."""
    ids = {token: index for index, token in enumerate(vocabulary)}
    sequences = np.full((len(token_lines), length), PADDING_ID, dtype=np.int64)
    for row, tokens in enumerate(token_lines):
        sequences[row, : min(length, len(tokens))] = [ids.get(token, UNKNOWN_ID) for token in tokens[:length]]
    return sequences


def sampling_table(size: int, sampling_factor: float = SAMPLING_FACTOR) -> np.ndarray:
    """Keras' make_sampling_table: the probability of keeping the word of rank i as a target.

    Word frequencies are taken to follow Zipf's law, where the word of rank r has frequency
    1 / (r (ln r + gamma) + 1/2 - 1/(12 r)); word2vec keeps a word of frequency f with
    probability min(1, sqrt(sampling_factor / f)). Rank 0 counts as rank 1, as in Keras.
    """
    rank = np.maximum(np.arange(size, dtype=np.float64), 1.0)
    inverse_frequency = rank * (np.log(rank) + EULER_GAMMA) + 0.5 - 1.0 / (12.0 * rank)
    scaled = sampling_factor * inverse_frequency
    return np.minimum(1.0, scaled / np.sqrt(scaled))


def positive_pairs(sequences: np.ndarray, table: np.ndarray, window_size: int, rng: np.random.Generator) -> np.ndarray:
    """[pairs, 2] (target id, context id): every word within `window_size` of a target that
    survived subsampling (kept with probability table[id]), in line, target, context order.
    Padding and [UNK] are neither targets nor contexts."""
    is_word = sequences > UNKNOWN_ID
    kept_targets = is_word & (rng.random(sequences.shape) < table[sequences])
    lines, length = sequences.shape
    found = []
    for offset in (o for o in range(-window_size, window_size + 1) if o != 0):
        positions = np.arange(max(0, -offset), min(length, length - offset))
        keep = kept_targets[:, positions] & is_word[:, positions + offset]
        line, column = np.nonzero(keep)
        position = positions[column]
        found.append(np.stack([line, position, position + offset], axis=1))
    line, target, context = np.concatenate(found).T
    order = np.lexsort((context, target, line))
    return np.stack([sequences[line, target], sequences[line, context]], axis=1)[order]


def log_uniform_candidates(rng: np.random.Generator, shape: Sequence[int], range_max: int) -> np.ndarray:
    """Draws from TF's log-uniform candidate sampler, P(k) = log((k + 2) / (k + 1)) / log(range_max + 1)
    for k in [0, range_max), by its inverse CDF: floor(exp(u log(range_max + 1))) - 1."""
    uniform = rng.random(shape)
    return np.minimum(np.floor(np.exp(uniform * np.log(range_max + 1.0))).astype(np.int64) - 1, range_max - 1)


def negative_samples(true_contexts: np.ndarray, num_negatives: int, range_max: int, rng: np.random.Generator) -> np.ndarray:
    """[pairs, num_negatives] distinct log-uniform draws per pair (unique=True), never padding,
    [UNK] or the pair's true context: invalid and repeated draws are skipped, as the
    sampler skips repeats."""
    negatives = np.zeros((len(true_contexts), num_negatives), dtype=np.int64)
    pending = np.arange(len(true_contexts))
    while pending.size:
        drawn = log_uniform_candidates(rng, (pending.size, _CANDIDATES_PER_ROUND), range_max)
        usable = (drawn > UNKNOWN_ID) & (drawn != true_contexts[pending, None])
        for column in range(1, _CANDIDATES_PER_ROUND):
            usable[:, column] &= ~np.any(drawn[:, :column] == drawn[:, column : column + 1], axis=1)
        complete = usable.sum(axis=1) >= num_negatives
        first_usable = np.argsort(~usable, axis=1, kind="stable")[:, :num_negatives]
        negatives[pending[complete]] = np.take_along_axis(drawn, first_usable, axis=1)[complete]
        pending = pending[~complete]
    return negatives


@dataclass(frozen=True)
class SkipGrams:
    """The training examples as ids into `vocabulary`: each target, its five contexts
    (shuffled) and the position of the true one among them."""

    vocabulary: List[str]
    lines: int
    targets: np.ndarray  # [pairs]
    contexts: np.ndarray  # [pairs, CONTEXTS_PER_EXAMPLE]
    labels: np.ndarray  # [pairs], the true context's position in `contexts`

    def words_used(self) -> int:
        return int(np.unique(np.concatenate([self.targets, self.contexts.ravel()])).size)


def make_skipgram_examples(
    text: str,
    seed: int = SEED,
    vocab_size: int = VOCAB_SIZE,
    window_size: int = WINDOW_SIZE,
    num_negatives: int = NUM_NEGATIVES,
    sampling_factor: float = SAMPLING_FACTOR,
) -> SkipGrams:
    """The notes' generate_training_data over `text`, deterministic in `seed`. The sampling
    table and the negatives range over the vocabulary built, at most `vocab_size` ids."""
    rng = np.random.default_rng(seed)
    token_lines = [standardize(line).split() for line in non_empty_lines(text)]
    vocabulary = build_vocabulary(token_lines, vocab_size)
    words = len(vocabulary) - 2
    if words <= num_negatives:
        raise ValueError(f"{words} distinct words cannot give {num_negatives} negatives besides the true context")
    sequences = vectorize(token_lines, vocabulary)
    pairs = positive_pairs(sequences, sampling_table(len(vocabulary), sampling_factor), window_size, rng)
    negatives = negative_samples(pairs[:, 1], num_negatives, len(vocabulary), rng)
    unshuffled = np.concatenate([pairs[:, 1:], negatives], axis=1)
    order = np.argsort(rng.random(unshuffled.shape), axis=1)
    return SkipGrams(
        vocabulary=vocabulary,
        lines=len(token_lines),
        targets=pairs[:, 0],
        contexts=np.take_along_axis(unshuffled, order, axis=1),
        labels=np.argmax(order == 0, axis=1),
    )


def serialized_examples(skipgrams: SkipGrams) -> Iterator[bytes]:
    """The examples as tf.Examples: `target` (a word), `context` (five words), `label`."""
    import tensorflow as tf  # to build the tf.Examples

    words = [word.encode() for word in skipgrams.vocabulary]
    for target, contexts, label in zip(skipgrams.targets.tolist(), skipgrams.contexts.tolist(), skipgrams.labels.tolist()):
        example = tf.train.Example()
        example.features.feature[TARGET_KEY].bytes_list.value.append(words[target])
        example.features.feature[CONTEXT_KEY].bytes_list.value.extend(words[c] for c in contexts)
        example.features.feature[LABEL_KEY].int64_list.value.append(label)
        yield example.SerializeToString()


def write_skipgrams(data_root: Path, text: str, origin: str, seed: int = SEED) -> str:
    """Writes the examples of `text` (read from `origin`) and describes them in one line."""
    skipgrams = make_skipgram_examples(text, seed)
    write_tfrecords_if_changed(data_root / OUTPUT_FILE_NAME, serialized_examples(skipgrams))
    return (
        f"{origin}: {skipgrams.lines} non-empty lines, vocabulary {len(skipgrams.vocabulary)} "
        f"(padding and [UNK] included; {skipgrams.words_used()} words in pairs), {len(skipgrams.targets)} "
        f"skip-gram pairs (window {WINDOW_SIZE}, {NUM_NEGATIVES} negatives each, seed {seed})"
    )


def shared(data_root: Path) -> str:
    text, path = shakespeare.shared_text()
    return write_skipgrams(data_root, text, str(path))


def downloaded(data_root: Path) -> str:
    text, url = shakespeare.downloaded_text()
    return write_skipgrams(data_root, text, url)
