"""TF Serving's REST API bodies (https://www.tensorflow.org/tfx/serving/api_rest), served
from a `ModelRepository`.

Request and response shapes follow TF Serving:
- `:predict` takes `{"signature_name"?, "instances": [...]}` (row format: one entry per
  example, a dict of named inputs or, for a one-input signature, the value itself) or
  `{"signature_name"?, "inputs": ...}` (columnar: a dict of batched inputs or one batched
  value) and answers `{"predictions": [...]}` or `{"outputs": ...}` respectively;
- `:classify` / `:regress` take `{"signature_name"?, "context"?, "examples": [{feature:
  value}]}`, build tf.Examples (JSON integers become int64, numbers with a decimal point
  float, strings bytes) and answer `{"results": ...}`;
- `{"b64": "..."}` stands for bytes anywhere a string tensor or feature is expected;
- string outputs come back as text, or `{"b64": ...}` when not valid UTF-8;
- errors are `{"error": "message"}`.
"""

import base64
import json
from typing import Any, Dict, List, Mapping, Optional

import numpy as np
import tensorflow as tf
from google.protobuf import json_format
from tensorflow.core.example import example_pb2, feature_pb2

from serving.repository import LoadedModel, ModelRepository, VersionStatus, bad_request, not_found

DEFAULT_SIGNATURE = tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY
CLASSIFY_METHOD = tf.saved_model.CLASSIFY_METHOD_NAME
REGRESS_METHOD = tf.saved_model.REGRESS_METHOD_NAME
# TF Serving's Classify/Regress signatures read serialized tf.Examples from this input.
EXAMPLES_INPUT = tf.saved_model.CLASSIFY_INPUTS
API_NAMES = {CLASSIFY_METHOD: "classification", REGRESS_METHOD: "regression"}


def decode_b64(value: Any) -> Any:
    """Replaces every `{"b64": text}` in a JSON value by the bytes it encodes."""
    if isinstance(value, dict):
        if set(value) == {"b64"}:
            try:
                return base64.b64decode(value["b64"], validate=True)
            except (ValueError, TypeError):
                raise bad_request(f"{{\"b64\": ...}} holds invalid base64: {str(value['b64'])[:40]!r}") from None
        return {key: decode_b64(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_b64(item) for item in value]
    return value


def _to_array(name: str, value: Any) -> np.ndarray:
    try:
        array = np.array(value)
    except ValueError as error:
        raise bad_request(f"input {name!r} is ragged (rows of different lengths): {error}") from None
    if array.dtype == object:
        if any(isinstance(item, (dict, list)) for item in array.ravel()):
            raise bad_request(f"input {name!r} is ragged or mixes lists and values")
        array = np.array([item.encode() if isinstance(item, str) else item for item in array.ravel()], dtype=object).reshape(array.shape)
    elif array.dtype.kind == "U":
        array = np.vectorize(lambda text: text.encode(), otypes=[object])(array)
    return array


def _inputs_from_rows(instances: Any, input_names: List[str]) -> Dict[str, np.ndarray]:
    if not isinstance(instances, list) or not instances:
        raise bad_request("'instances' must be a non-empty list, one entry per example")
    if len(input_names) == 1 and not all(isinstance(row, dict) for row in instances):
        return {input_names[0]: _to_array(input_names[0], instances)}
    for index, row in enumerate(instances):
        if not isinstance(row, dict):
            raise bad_request(f"instance {index} must be an object with inputs {input_names}")
        if set(row) != set(input_names):
            raise bad_request(f"instance {index} has keys {sorted(row)}; the signature takes {sorted(input_names)}")
    return {name: _to_array(name, [row[name] for row in instances]) for name in input_names}


def _inputs_from_columns(inputs: Any, input_names: List[str]) -> Dict[str, np.ndarray]:
    if isinstance(inputs, dict):
        return {name: _to_array(name, value) for name, value in inputs.items()}
    if len(input_names) != 1:
        raise bad_request(f"'inputs' must be an object naming each of {sorted(input_names)}")
    return {input_names[0]: _to_array(input_names[0], inputs)}


def _json_value(array: np.ndarray) -> Any:
    if array.dtype == object or array.dtype.kind == "S":
        return np.vectorize(_json_text, otypes=[object])(array).tolist() if array.ndim else _json_text(array.item())
    return array.tolist()


def _json_text(value: bytes) -> Any:
    try:
        return value.decode()
    except UnicodeDecodeError:
        return {"b64": base64.b64encode(value).decode()}


def parse_body(body: bytes) -> Dict[str, Any]:
    try:
        request = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise bad_request(f"JSON Parse error: {error}") from None
    except RecursionError:
        raise bad_request("JSON Parse error: nested too deeply") from None
    if not isinstance(request, dict):
        raise bad_request("the request body must be a JSON object")
    return request


def _signature_name(request: Mapping[str, Any]) -> str:
    name = request.get("signature_name", DEFAULT_SIGNATURE)
    if not isinstance(name, str):
        raise bad_request("'signature_name' must be a string")
    return name


def predict(model: LoadedModel, request: Mapping[str, Any]) -> Dict[str, Any]:
    signature_name = _signature_name(request)
    input_names = sorted(model.input_specs(signature_name))
    if ("instances" in request) == ("inputs" in request):
        raise bad_request("the request must have exactly one of 'instances' (row format) or 'inputs' (columnar)")
    if "instances" in request:
        outputs = model.run(signature_name, _inputs_from_rows(decode_b64(request["instances"]), input_names))
        rows = {name: _json_value(value) for name, value in outputs.items()}
        if len(rows) == 1:
            return {"predictions": next(iter(rows.values()))}
        batch = {len(value) for value in rows.values()}
        if len(batch) != 1:
            raise bad_request(f"outputs {sorted(rows)} have different batch sizes; use the columnar 'inputs' format")
        return {"predictions": [{name: value[i] for name, value in rows.items()} for i in range(batch.pop())]}
    outputs = model.run(signature_name, _inputs_from_columns(decode_b64(request["inputs"]), input_names))
    columns = {name: _json_value(value) for name, value in outputs.items()}
    return {"outputs": next(iter(columns.values())) if len(columns) == 1 else columns}


def _feature(name: str, value: Any, feature: feature_pb2.Feature) -> None:
    values = value if isinstance(value, list) else [value]
    if all(isinstance(item, bytes) for item in values):
        feature.bytes_list.value.extend(values)
    elif all(isinstance(item, str) for item in values):
        feature.bytes_list.value.extend(item.encode() for item in values)
    elif all(isinstance(item, int) and not isinstance(item, bool) for item in values):
        feature.int64_list.value.extend(values)
    elif all(isinstance(item, (int, float)) and not isinstance(item, bool) for item in values):
        feature.float_list.value.extend(values)
    else:
        raise bad_request(f"feature {name!r}: {value!r} is not a number, a string, or a list of one kind")


def examples_from_json(examples: Any, context: Optional[Mapping[str, Any]] = None) -> List[bytes]:
    """Serialized tf.Examples from `examples` (each a feature dict), `context` merged into each."""
    if not isinstance(examples, list) or not examples:
        raise bad_request("'examples' must be a non-empty list of feature objects")
    serialized = []
    for index, features in enumerate(examples):
        if not isinstance(features, dict):
            raise bad_request(f"example {index} must be an object of features")
        example = example_pb2.Example()
        for name, value in {**(context or {}), **features}.items():
            _feature(name, value, example.features.feature[name])
        serialized.append(example.SerializeToString())
    return serialized


def _run_on_examples(model: LoadedModel, request: Mapping[str, Any], method: str) -> Dict[str, np.ndarray]:
    signature_name = _signature_name(request)
    signature = model.signature(signature_name)
    if signature.method_name != method:
        raise bad_request(
            f"Expected {API_NAMES[method]} signature method_name to be {method}. Was: "
            f"{signature.method_name} (signature {signature_name!r}; "
            f"{model.name}'s signatures with that method: "
            f"{[name for name, sig in model.signature_defs.items() if sig.method_name == method]})"
        )
    request = decode_b64(dict(request))
    serialized = examples_from_json(request.get("examples"), request.get("context"))
    return model.run(signature_name, {EXAMPLES_INPUT: np.array(serialized, dtype=object)})


def classify(model: LoadedModel, request: Mapping[str, Any]) -> Dict[str, Any]:
    outputs = _run_on_examples(model, request, CLASSIFY_METHOD)
    classes, scores = outputs.get(tf.saved_model.CLASSIFY_OUTPUT_CLASSES), outputs[tf.saved_model.CLASSIFY_OUTPUT_SCORES]
    results = []
    for row, row_scores in enumerate(scores):
        labels = [_json_text(label) for label in classes[row]] if classes is not None else [str(i) for i in range(len(row_scores))]
        results.append([[label, float(score)] for label, score in zip(labels, row_scores)])
    return {"results": results}


def regress(model: LoadedModel, request: Mapping[str, Any]) -> Dict[str, Any]:
    outputs = _run_on_examples(model, request, REGRESS_METHOD)
    return {"results": [float(value) for value in np.reshape(outputs[tf.saved_model.REGRESS_OUTPUTS], [-1])]}


def model_status(statuses: List[VersionStatus]) -> Dict[str, Any]:
    return {
        "model_version_status": [
            {
                "version": str(status.version),
                "state": status.state,
                "status": {"error_code": "UNKNOWN" if status.error else "OK", "error_message": status.error},
            }
            for status in statuses
        ]
    }


def model_metadata(model: LoadedModel) -> Dict[str, Any]:
    return {
        "model_spec": {"name": model.name, "signature_name": "", "version": str(model.version)},
        "metadata": {
            "signature_def": {
                "@type": "type.googleapis.com/tensorflow.serving.SignatureDefMap",
                **json_format.MessageToDict(model.signature_def_map(), preserving_proto_field_name=True),
            }
        },
    }


def json_response(value: Any) -> bytes:
    """JSON as TF Serving writes it: NaN and infinities as the bare words it also reads."""
    return json.dumps(value, allow_nan=True).encode()


def route(repository: ModelRepository, method: str, path: str, body: bytes) -> Dict[str, Any]:
    """Answers one REST call: `GET /v1/models/M[/versions/N][/metadata]`, `POST ...:predict`."""
    parts = path.rstrip("/").split("/")
    if parts[:3] != ["", "v1", "models"] or len(parts) < 4:
        raise not_found(f"Malformed request: {method} {path}")
    name, verb = parts[3], None
    tail = parts[4:]
    if ":" in (tail[-1] if tail else name):
        if tail:
            tail[-1], verb = tail[-1].split(":", 1)
        else:
            name, verb = name.split(":", 1)
    version = None
    if tail[:1] == ["versions"] and len(tail) >= 2:
        if not tail[1].isdigit():
            raise bad_request(f"version {tail[1]!r} is not an integer")
        version, tail = int(tail[1]), tail[2:]
    elif tail[:1] == ["labels"]:
        raise not_found("version labels are served by TF Serving (see `python -m serving config --canary`); "
                        "this local server serves each model's newest version")
    if method == "GET" and verb is None and tail in ([], ["metadata"]):
        if tail == ["metadata"]:
            return model_metadata(repository.model(name, version))
        statuses = repository.status(name)
        if version is not None:
            statuses = [status for status in statuses if status.version == version]
            if not statuses:
                raise not_found(f"Could not find version {version} of model {name}")
        return model_status(statuses)
    handlers = {"predict": predict, "classify": classify, "regress": regress}
    if method == "POST" and verb in handlers and not tail:
        return handlers[verb](repository.model(name, version), parse_body(body))
    raise not_found(f"Malformed request: {method} {path}")

