"""Every model but penguin (see test_penguin_pipeline_e2e.py) through the real CLI, at its
default settings: every node completes, a model is pushed whose serving_default answers
a tf.Example from the eval split, and the summary shows what the model must show."""

import re
from pathlib import Path

import pytest
import tensorflow as tf

from modules.common import signatures
from pipeline.models import MODELS
from tests.pipeline_runs import node_states, run_cli

pytestmark = pytest.mark.slow
# Each test is its own pipeline run: parallel workers may take any of them (see conftest.py).
TESTS_ARE_INDEPENDENT = True

# model -> regular expressions its run summary must match
MUST_SHOW = {
    "linear_regression": [r"largest error 0\.00\d+ \(within 0\.01\)"],
    "huber_regression": [r"Huber fit: .*slope error 0\.0", r"MSE fit: .*slope error 0\.[1-9]", r"predict\(10\) = 19\.[0-4]"],
    "planar_flower": [r"overall\s+\d+\s+0\.(8[89]|9\d)", r"Training-set accuracy: NN (8[89]|9\d)\.\d%"],
    "multi_output_regression": [r"y1_output/root_mean_squared_error\s+y2_output/root_mean_squared_error"],
    "taxi": [r"trip_start_hour=0\s", r"trip_start_hour=23\s"],
    "mnist_mlp": [r"overall\s+\d+\s+0\.(8[5-9]|9\d)"],
    "softmax_regression": [r"Data \(shared\): Fashion-MNIST from .* \(70000 images", r"overall\s+\d+\s+0\.(8\d|9\d)"],
    "fashion_cnn": [r"Data \(shared\): Fashion-MNIST from .* \(70000 images", r"overall\s+\d+\s+0\.(8\d|9\d)"],
    "siamese": [
        r"Data \(shared\): 19980 pairs of Fashion-MNIST test images",
        r"overall\s+\d+\s+0\.(8\d|9\d)",
        r"Pair accuracy on \d+ training pairs: (8\d|9\d)\.\d% with distance < 0\.5",
    ],
    "flowers_cnn": [r"Data \(generated\)", r"overall\s+\d+\s+(0\.[6-9]\d|1\.0)"],
    "transfer_mobilenet": [
        r"Base: MobileNetV2 with (ImageNet weights|ImageNet weights unreachable .*; random initial weights)",
        r"after stage 1 \(frozen base\): \d+\.\d%; after stage 2 \(fine-tuned from layer 100\)",
    ],
    "cifar10_cnn": [r"Data \(generated\)", r"overall\s+\d+\s+(0\.[6-9]\d|1\.0)"],
    "shakespeare_char_gru": [
        r"overall\s+\d+\s+(\d|1[0-4])\.\d+\s+0\.[2-9]\d",
        r"accuracy \d\d\.\d%, perplexity (\d|1[0-4])\.\d\d against the unigram baseline 2\d\.\d",
        r"Sample: generate\('ROMEO:', num_chars=200, temperature=1\.0, seed=7\):\n\s+\| ROMEO:",
    ],
    "word2vec": [
        r"Held-out pair accuracy: (2[89]|3\d)\.\d% of \d+ eval pairs pick the true context of 5 \(chance 20\.0%\)",
        r"Neighbours of 'king' \(cosine\): \w+ 0\.\d\d, ",
    ],
    "imdb_bilstm": [
        r"Data \(rotten_tomatoes\)",
        r"overall\s+\d+\s+0\.(6\d|7\d|8\d)",
        r"review_length_xf=under \d+ words\s+\d+",
        r"P\(positive\) of the notes' positive sample review: \d\.\d{3}",
        r"scores (\d\.\d{4}) alone and \1 beside 2,000 padding words",
    ],
    "imdb_stacked_bilstm": [r"review_length_xf=\d+\+ words\s+\d+", r"scores (\d\.\d{4}) alone and \1 beside"],
}


# Offline, MobileNetV2 has no ImageNet weights and a few steps cannot lift random features
# above chance: the run must still train both stages and push, so it blesses at any accuracy.
# Run once, at their defaults, in tests/test_text_serving_e2e.py, which serves them next.
RUN_WITH_THEIR_SERVER = ("shakespeare_char_gru", "imdb_bilstm", "word2vec")
EXTRA_ARGS = {
    "transfer_mobilenet": ["--threshold", "0"],
    # imdb_bilstm shows the sentiment models learn; the stacked one shares all but its layers.
    "imdb_stacked_bilstm": ["--train-steps", "50", "--threshold", "0"],
}


def _first_eval_example(output_dir: Path, example_gen: str) -> bytes:
    (split_dir,) = (output_dir / "pipelines").glob(f"*/{example_gen}/examples/*/Split-eval")
    files = sorted(str(f) for f in split_dir.iterdir())
    return next(iter(tf.data.TFRecordDataset(files, compression_type="GZIP").take(1))).numpy()


def assert_run_shows_its_result(model: str, output_dir: Path, stdout: str) -> None:
    """Every node completed, the model blessed and pushed, its summary shows MUST_SHOW, and the
    pushed serving_examples answers a tf.Example from the eval split."""
    spec = MODELS[model]
    example_gen = "ImportExampleGen" if spec.example_format == "tfrecord" else "CsvExampleGen"
    states, _ = node_states(output_dir, model, example_gen=example_gen)
    assert set(states.values()) == {"COMPLETE"}, states
    assert "Blessed: yes" in stdout, stdout
    for pattern in MUST_SHOW[model]:
        assert re.search(pattern, stdout), f"{pattern!r} not in:\n{stdout}"

    (version,) = (output_dir / "serving" / model).iterdir()
    served = tf.saved_model.load(str(version)).signatures[signatures.SERVING_EXAMPLES]
    answer = served(examples=tf.constant([_first_eval_example(output_dir, example_gen)]))
    assert answer and all(value.shape[0] == 1 for value in answer.values())


@pytest.mark.parametrize("model", sorted(set(MUST_SHOW) - set(RUN_WITH_THEIR_SERVER)))
def test_model_runs_end_to_end_and_shows_its_result(model, tmp_path):
    assert_run_shows_its_result(model, tmp_path, run_cli(model, tmp_path, *EXTRA_ARGS.get(model, [])))


def test_multi_output_model_is_gated_on_both_heads(tmp_path):
    stdout = run_cli("multi_output_regression", tmp_path, "--threshold", "0.01")
    assert "Blessed: NO" in stdout
    assert "y1_output/root_mean_squared_error" in stdout.split("Blessed: NO")[1]
    assert "y2_output/root_mean_squared_error" in stdout.split("Blessed: NO")[1]
    assert "Pushed: nothing" in stdout
