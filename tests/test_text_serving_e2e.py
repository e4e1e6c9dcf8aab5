"""The text models' signatures, pushed by real pipeline runs into one base directory and
served by `python -m serving serve`, answer REST requests as the SavedModels answer
in-process: the char-RNN's `generate`, the sentiment model's raw text, word2vec's `neighbours`.
The runs are these models' end-to-end tests too (see tests/test_models_e2e.py).

`generate` and `neighbours` take scalars beside their lists (num_chars, temperature, seed;
k), so their requests use TF Serving's columnar format: `{"signature_name": ..., "inputs": {...}}`.
"""

import base64
import shutil
from pathlib import Path
from typing import Dict, Tuple

import pytest
import requests
import tensorflow as tf

from serving import launch, layout
from tests.pipeline_runs import run_cli
from tests.test_models_e2e import RUN_WITH_THEIR_SERVER, assert_run_shows_its_result

pytestmark = pytest.mark.slow

MODEL = "shakespeare_char_gru"
SENTIMENT_MODEL = "imdb_bilstm"
EMBEDDING_MODEL = "word2vec"
REVIEWS = ["A three-hour cinema master class.", "Dull, and far too long.", ""]
PROMPTS = ["ROMEO:", "JULIET:\nO"]
NUM_CHARS = 60


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Dict[str, Tuple[Path, str]]:
    """Each model's run at its defaults, in an output directory of its own: {model: (dir, stdout)}."""
    outputs = {}
    for model in RUN_WITH_THEIR_SERVER:
        output = tmp_path_factory.mktemp(model)
        outputs[model] = (output, run_cli(model, output))
    return outputs


@pytest.fixture(scope="module")
def output_dir(runs, tmp_path_factory) -> Path:
    """One serving base holding each run's pushed version, as a server would serve them."""
    output = tmp_path_factory.mktemp("text_served")
    for model, (run_dir, _) in runs.items():
        shutil.copytree(run_dir / "serving" / model, output / "serving" / model)
    return output


@pytest.mark.parametrize("model", RUN_WITH_THEIR_SERVER)
def test_model_runs_end_to_end_and_shows_its_result(runs, model):
    assert_run_shows_its_result(model, *runs[model])


@pytest.fixture(scope="module")
def rest_url(output_dir):
    """`python -m serving serve` on a free REST port; its URL."""
    process, url = launch.start_rest_server(output_dir / "serving", output_dir / "serve.log")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=launch.START_TIMEOUT_S)


def _in_process(output_dir: Path, model: str = MODEL):
    base = output_dir / "serving" / model
    version = layout.version_dir(output_dir / "serving", model, layout.versions(base)[-1])
    return tf.saved_model.load(str(version)).signatures


def _generate(rest_url: str, seed: int, temperature: float = 1.0) -> requests.Response:
    body = {
        "signature_name": "generate",
        "inputs": {"prompt": PROMPTS, "num_chars": NUM_CHARS, "temperature": temperature, "seed": seed},
    }
    return requests.post(f"{rest_url}/v1/models/{MODEL}:predict", json=body, timeout=60)


def test_generate_over_rest_answers_what_the_signature_answers(output_dir, rest_url):
    response = _generate(rest_url, seed=7)
    assert response.status_code == 200, response.text
    texts = response.json()["outputs"]
    for prompt, text in zip(PROMPTS, texts, strict=True):
        assert text.startswith(prompt) and len(text) == len(prompt) + NUM_CHARS
    expected = _in_process(output_dir)["generate"](
        prompt=tf.constant(PROMPTS),
        num_chars=tf.constant(NUM_CHARS),
        temperature=tf.constant(1.0),
        seed=tf.constant(7, tf.int64),
    )["text"]
    assert texts == [text.decode("utf-8") for text in expected.numpy()]
    assert _generate(rest_url, seed=7).json()["outputs"] == texts
    assert _generate(rest_url, seed=8).json()["outputs"] != texts


def test_a_bad_temperature_is_a_400_that_says_why(rest_url):
    response = _generate(rest_url, seed=7, temperature=0.0)
    assert response.status_code == 400
    assert "temperature must be > 0" in response.json()["error"]


def test_next_character_scores_for_a_tf_example(output_dir, rest_url):
    """The shared predict signatures: probabilities of the next character at all 100 positions."""
    example = tf.train.Example()
    example.features.feature["text"].bytes_list.value.append(("ROMEO:\n" * 15)[:101].encode())
    body = {"signature_name": "serving_examples", "instances": [{"b64": base64.b64encode(example.SerializeToString()).decode()}]}
    response = requests.post(f"{rest_url}/v1/models/{MODEL}:predict", json=body, timeout=60)
    assert response.status_code == 200, response.text
    (prediction,) = response.json()["predictions"]
    assert len(prediction["scores"]) == 100 and len(prediction["classes"]) == 100
    assert abs(sum(prediction["scores"][0]) - 1.0) < 1e-4


def test_raw_review_text_over_rest_answers_what_the_signature_answers(output_dir, rest_url):
    """The sentiment model's `serving_raw`: review text in, P(positive) out, an empty review too."""
    body = {"signature_name": "serving_raw", "instances": [{"text": review} for review in REVIEWS]}
    response = requests.post(f"{rest_url}/v1/models/{SENTIMENT_MODEL}:predict", json=body, timeout=60)
    assert response.status_code == 200, response.text
    served = [prediction["scores"][0] for prediction in response.json()["predictions"]]
    expected = _in_process(output_dir, SENTIMENT_MODEL)["serving_raw"](text=tf.constant(REVIEWS))["scores"]
    assert served == pytest.approx(expected.numpy()[:, 0].tolist(), abs=5e-4)
    assert all(0.0 <= score <= 1.0 for score in served)


def test_neighbours_over_rest_answer_what_the_signature_answers(output_dir, rest_url):
    """word2vec's `neighbours`: k words per known word; an unknown word answers "" and NaN."""
    body = {"signature_name": "neighbours", "inputs": {"word": ["king", "xyzzy"], "k": 3}}
    response = requests.post(f"{rest_url}/v1/models/{EMBEDDING_MODEL}:predict", json=body, timeout=60)
    assert response.status_code == 200, response.text
    outputs = response.json()["outputs"]
    expected = _in_process(output_dir, EMBEDDING_MODEL)["neighbours"](word=tf.constant(["king", "xyzzy"]), k=tf.constant(3))
    assert outputs["neighbours"] == [[word.decode() for word in row] for row in expected["neighbours"].numpy()]
    assert len(outputs["neighbours"][0]) == 3 and "king" not in outputs["neighbours"][0]
    assert outputs["neighbours"][1] == ["", "", ""]
