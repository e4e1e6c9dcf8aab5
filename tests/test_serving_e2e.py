"""Models pushed by real pipeline runs, served by `serving.server`, answer through the
clients exactly what their SavedModel signatures answer in-process.

One tiny penguin run (tabular, tf.Example) and one fashion_cnn run (images) push into one
model base directory; the server runs on free ports against it.
"""

import csv
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests
import tensorflow as tf

from data.image_records import IMAGE_KEY
from pipeline import configs
from serving import client, layout, repository, server
from tests.pipeline_runs import PROJECT_ROOT, run_cli

pytestmark = pytest.mark.slow

SCORE_NOISE = 5e-4  # TF CPU kernels differ this much between calls (tests/test_model_packages.py)
RELOAD_TIMEOUT_S = 30.0
ROWS = 6


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("served")
    run_cli("penguin", output, "--train-steps", "30")
    run_cli("fashion_cnn", output, "--train-steps", "30", "--threshold", "0", "--data-source", "digits")
    return output


@pytest.fixture(scope="module")
def served(output_dir):
    running = server.start(output_dir / "serving", rest_port=0, grpc_port=0, poll_seconds=0.2, report=lambda line: None)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def rest(served) -> client.RestClient:
    return client.RestClient(served.rest_url)


def _newest(output_dir: Path, model: str) -> Path:
    base = output_dir / "serving" / model
    return layout.version_dir(output_dir / "serving", model, layout.versions(base)[-1])


def _in_process(output_dir: Path, model: str):
    return tf.saved_model.load(str(_newest(output_dir, model))).signatures


@pytest.fixture(scope="module")
def penguin_rows(output_dir) -> list:
    """Raw rows of the penguin CSV as a user would have them: numbers, strings, None."""
    (csv_path,) = (output_dir / "data" / "penguin").glob("*.csv")
    with open(csv_path, newline="") as handle:
        rows = list(csv.DictReader(handle))[:ROWS]
    numeric = ("culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g")
    parsed = []
    for row in rows:
        parsed.append(
            {
                **{key: None if row[key] in ("", "NA") else float(row[key]) for key in numeric},
                "island": row["island"],
                "sex": None if row["sex"] in ("", "NA") else row["sex"],
            }
        )
    assert any(value is None for row in parsed for value in row.values()), "want a row with a missing value"
    return parsed


def _assert_close(answer: dict, expected: dict) -> None:
    for name, value in expected.items():
        value = value.numpy()
        got = np.array(answer[name])
        if value.dtype == object:
            np.testing.assert_array_equal(got.astype(str), value.astype(str))
        else:
            np.testing.assert_allclose(got, value, rtol=1e-5, atol=SCORE_NOISE)


def _columns(predictions: list) -> dict:
    return {name: [row[name] for row in predictions] for name in predictions[0]}


def test_tf_example_requests_answer_what_the_signature_answers(output_dir, rest, penguin_rows):
    types = rest.raw_feature_types("penguin")
    serialized = [client.serialize_example(row, types) for row in penguin_rows]
    expected = _in_process(output_dir, "penguin")["serving_examples"](examples=tf.constant(serialized))
    answer = rest.predict("penguin", client.examples_instances(penguin_rows, types), signature_name="serving_examples")
    _assert_close(_columns(answer["predictions"]), expected)
    # serving_default is the same tf.Example signature for a tabular model
    default = rest.predict("penguin", client.examples_instances(penguin_rows, types))
    _assert_close(_columns(default["predictions"]), expected)


def test_raw_feature_requests_row_and_columnar_answer_what_the_signature_answers(output_dir, rest, penguin_rows):
    types = rest.raw_feature_types("penguin")
    instances = client.raw_instances(penguin_rows, types)
    inputs = {name: [instance[name] for instance in instances] for name in types}
    expected = _in_process(output_dir, "penguin")["serving_raw"](
        **{name: tf.constant(values, tf.string if types[name] == "DT_STRING" else tf.float32) for name, values in inputs.items()}
    )
    rows = rest.predict("penguin", instances, signature_name="serving_raw")
    _assert_close(_columns(rows["predictions"]), expected)
    columns = rest.predict("penguin", inputs=inputs, signature_name="serving_raw")
    _assert_close(columns["outputs"], expected)


def test_classify_answers_the_classification_signature(output_dir, rest, penguin_rows):
    types = rest.raw_feature_types("penguin")
    expected = _in_process(output_dir, "penguin")["classification"](
        inputs=tf.constant([client.serialize_example(row, types) for row in penguin_rows])
    )
    results = rest.classify("penguin", [client.typed_features(row, types) for row in penguin_rows])
    assert len(results) == ROWS
    np.testing.assert_array_equal([[label for label, _ in row] for row in results], expected["classes"].numpy().astype(str))
    np.testing.assert_allclose([[score for _, score in row] for row in results], expected["scores"].numpy(), atol=SCORE_NOISE)


def _fashion_images(output_dir: Path) -> np.ndarray:
    files = sorted(str(path) for path in (output_dir / "data" / "fashion_cnn").iterdir())
    images = []
    for record in tf.data.TFRecordDataset(files).take(3):
        example = tf.train.Example.FromString(record.numpy())
        images.append(np.array(example.features.feature[IMAGE_KEY].int64_list.value, np.float32))
    return (np.stack(images) / 255.0).reshape(-1, 28, 28, 1)


def test_image_model_answers_the_notes_request(output_dir, served):
    """The notes' client: `{"signature_name": "serving_default", "instances": images}`."""
    images = _fashion_images(output_dir)
    body = {"signature_name": "serving_default", "instances": images.tolist()}
    response = requests.post(f"{served.rest_url}/v1/models/fashion_cnn:predict", json=body, timeout=30)
    assert response.status_code == 200, response.text
    expected = _in_process(output_dir, "fashion_cnn")["serving_default"](images=tf.constant(images))
    _assert_close(_columns(response.json()["predictions"]), expected)


def test_grpc_predict_status_and_metadata(output_dir, served, penguin_rows):
    grpc_client = client.GrpcClient(served.grpc_target)
    try:
        types = client.RestClient(served.rest_url).raw_feature_types("penguin")
        serialized = [client.serialize_example(row, types) for row in penguin_rows]
        answer = grpc_client.predict("penguin", {"examples": serialized}, signature_name="serving_examples")
        expected = _in_process(output_dir, "penguin")["serving_examples"](examples=tf.constant(serialized))
        _assert_close(answer, expected)
        images = _fashion_images(output_dir)
        by_image = grpc_client.predict("fashion_cnn", {"images": images})
        _assert_close(by_image, _in_process(output_dir, "fashion_cnn")["serving_default"](images=tf.constant(images)))
        (status,) = grpc_client.status("penguin").model_version_status
        assert status.version == layout.versions(output_dir / "serving" / "penguin")[-1]
        signatures = grpc_client.signature_def_map("penguin").signature_def
        assert signatures["classification"].method_name == "tensorflow/serving/classify"
    finally:
        grpc_client.close()


def test_status_and_metadata_have_tf_servings_shapes(output_dir, rest):
    version = str(layout.versions(output_dir / "serving" / "penguin")[-1])
    assert rest.status("penguin") == {
        "model_version_status": [{"version": version, "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}]
    }
    metadata = rest.metadata("penguin")
    assert metadata["model_spec"] == {"name": "penguin", "signature_name": "", "version": version}
    signature_map = metadata["metadata"]["signature_def"]
    assert signature_map["@type"] == "type.googleapis.com/tensorflow.serving.SignatureDefMap"
    default = signature_map["signature_def"]["serving_default"]
    assert default["method_name"] == "tensorflow/serving/predict"
    assert default["inputs"]["examples"]["dtype"] == "DT_STRING"


@pytest.mark.parametrize(
    "path, body, status, message",
    [
        ("/v1/models/penguin:predict", b"{not json", 400, "JSON Parse error"),
        ("/v1/models/penguin:predict", b"[1, 2]", 400, "must be a JSON object"),
        ("/v1/models/penguin:predict", b'{"instances": ' + b"[" * 100000 + b"]" * 100000 + b"}", 400, "nested too deeply"),
        ("/v1/models/penguin:predict", b'{"instances": [[1.0, 2.0]]}', 400, r"has shape \[1, 2\], but the signature takes \[None\]"),
        ("/v1/models/penguin:predict", b'{"signature_name": "nope", "instances": [1]}', 400, "not found in signature def"),
        ("/v1/models/penguin:predict", b'{"signature_name": "serving_raw", "instances": [{"island": "Dream"}]}', 400, "instance 0 has keys"),
        ("/v1/models/penguin:predict", b'{"instances": [{"b64": "%%%"}]}', 400, "invalid base64"),
        ("/v1/models/penguin:predict", b"{}", 400, "exactly one of 'instances'"),
        ("/v1/models/nope:predict", b'{"instances": [1]}', 404, r"Servable not found for request: Latest\(nope\)"),
        ("/v1/models/penguin/versions/1:predict", b'{"instances": [1]}', 404, r"Specific\(penguin, 1\)"),
        ("/v1/models/penguin:regress", b'{"examples": [{}]}', 400, "Expected regression signature"),
        ("/v2/elsewhere", b"{}", 404, "Malformed request"),
    ],
)
def test_bad_requests_get_a_4xx_and_a_clear_message(served, path, body, status, message):
    response = requests.post(served.rest_url + path, data=body, timeout=30)
    assert response.status_code == status, response.text
    assert re.search(message, response.json()["error"]), response.json()


def test_a_client_that_asks_before_sending_its_body_is_answered_at_once(served, rest, penguin_rows):
    """curl sends `Expect: 100-continue` before a body over 1 KB; the interim answer must
    leave the server's buffered writer before the body arrives."""
    types = rest.raw_feature_types("penguin")
    body = json.dumps({"instances": client.examples_instances(penguin_rows * 400, types)}).encode()
    host, port = served.rest_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            f"POST /v1/models/penguin:predict HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        assert connection.recv(1024).startswith(b"HTTP/1.1 100 Continue"), "no interim answer within 5 s"
        connection.sendall(body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(65536)
        head, payload = answer.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        while len(payload) < length:
            payload += connection.recv(65536)
    assert head.startswith(b"HTTP/1.1 200") and len(json.loads(payload)["predictions"]) == len(penguin_rows) * 400
    assert length > 64 * 1024, "the answer is larger than the server's write buffer"


def test_oversized_bodies_are_refused_before_they_are_read(output_dir):
    small = server.start(output_dir / "serving", rest_port=0, grpc_port=None, max_body_bytes=1000, report=lambda line: None)
    try:
        response = requests.post(f"{small.rest_url}/v1/models/penguin:predict", data=b"x" * 5000, timeout=30)
        assert response.status_code == 413
        assert "over the limit of 1000 bytes" in response.json()["error"]
    finally:
        small.stop()


def _wait_for(condition, what: str):
    deadline = time.monotonic() + RELOAD_TIMEOUT_S
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _served_versions(rest: client.RestClient, model: str) -> dict:
    return {row["version"]: row["state"] for row in rest.status(model)["model_version_status"]}


def test_new_broken_and_removed_versions_are_noticed_without_a_restart(output_dir, rest, penguin_rows):
    base = output_dir / "serving" / "penguin"
    original = layout.versions(base)[-1]
    newer, broken = original + 1, original + 2
    types = rest.raw_feature_types("penguin")
    request = client.examples_instances(penguin_rows[:1], types)
    try:
        shutil.copytree(base / str(original), base / f".staging-{newer}")
        (base / f".staging-{newer}").rename(base / str(newer))
        _wait_for(lambda: _served_versions(rest, "penguin") == {str(newer): "AVAILABLE"}, "the new version")
        assert rest.predict("penguin", request)["predictions"]

        shutil.copytree(base / str(original), base / f".staging-{broken}")
        (base / f".staging-{broken}" / layout.SAVED_MODEL_FILE).write_bytes(b"not a SavedModel")
        (base / f".staging-{broken}").rename(base / str(broken))
        states = _wait_for(lambda: len(_served_versions(rest, "penguin")) == 2 and _served_versions(rest, "penguin"), "the failed load")
        assert states == {str(newer): "AVAILABLE", str(broken): "END"}
        assert rest.predict("penguin", request)["predictions"], "the previous version keeps serving"
    finally:
        shutil.rmtree(base / str(broken), ignore_errors=True)
        shutil.rmtree(base / str(newer), ignore_errors=True)
    _wait_for(lambda: _served_versions(rest, "penguin") == {str(original): "AVAILABLE"}, "the fallback to the original")


def test_pushed_versions_have_what_tf_serving_requires(output_dir):
    """What `saved_model_cli show --all` prints, checked: names, dtypes, shapes, methods."""
    version = _newest(output_dir, "penguin")
    cli = Path(sys.executable).parent / "saved_model_cli"
    shown = subprocess.run([str(cli), "show", "--dir", str(version), "--all"], capture_output=True, text=True, check=True).stdout
    for signature in ("serving_default", "serving_examples", "serving_raw", "classification", "transformed_predict"):
        assert f"signature_def['{signature}']" in shown
    assert "Method name is: tensorflow/serving/classify" in shown
    signatures = repository.read_signature_defs(version)
    assert set(signatures["classification"].inputs) == {"inputs"}
    assert set(signatures["classification"].outputs) == {"classes", "scores"}
    default = signatures["serving_default"]
    assert default.method_name == "tensorflow/serving/predict"
    (examples,) = default.inputs.values()
    assert tf.dtypes.as_dtype(examples.dtype) == tf.string and [d.size for d in examples.tensor_shape.dim] == [-1]
    assert tf.dtypes.as_dtype(default.outputs["scores"].dtype) == tf.float32
    assert [d.size for d in default.outputs["scores"].tensor_shape.dim] == [-1, 3]
    image_default = repository.read_signature_defs(_newest(output_dir, "fashion_cnn"))["serving_default"]
    assert [d.size for d in image_default.inputs["images"].tensor_shape.dim] == [-1, 28, 28, 1]


def test_serve_command_answers_and_stops_on_sigterm(output_dir):
    process = subprocess.Popen(
        [sys.executable, "-m", "serving", "serve", "--model-base-path", str(output_dir / "serving"), "--port", "0", "--grpc-port", "-1"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = None
        for line in process.stdout:
            match = re.match(r"REST: (http://[\d.]+:\d+)/", line)
            if match:
                url = match.group(1)
                break
        assert url, "the server did not print its address"
        assert requests.get(f"{url}/v1/models/penguin", timeout=30).json()["model_version_status"][0]["state"] == "AVAILABLE"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def test_the_server_defaults_to_where_the_pipeline_pushes():
    paths = configs.resolve_paths("penguin", "penguin", environ={})
    assert paths.serving_model_dir.parent == layout.DEFAULT_MODEL_BASE_PATH.resolve()
