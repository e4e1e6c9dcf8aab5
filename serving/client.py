"""Clients for TF Serving's REST and gRPC APIs, and request builders from raw features.

Requests are TF Serving's wire format, so the same calls work against `tensorflow/serving`
(see serving/docker-compose.yml) and against `python -m serving serve`:

    client = RestClient("http://127.0.0.1:8501")
    types = client.raw_feature_types("penguin")
    row = {"culmen_length_mm": 39.1, "island": "Torgersen", ...}
    client.predict("penguin", examples_instances([row], types), signature_name="serving_examples")
    client.predict("penguin", raw_instances([row], types), signature_name="serving_raw")
    client.classify("penguin", [typed_features(row, types)])

A raw feature row maps feature names to values; None (or NaN) is a missing value.
"""

import base64
import http.client
import json
import math
import urllib.parse
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

RAW_SIGNATURE = "serving_raw"
EXAMPLES_SIGNATURE = "serving_examples"
CLASSIFICATION_SIGNATURE = "classification"
REGRESSION_SIGNATURE = "regression"
DEFAULT_REST_URL = "http://127.0.0.1:8501"
DEFAULT_GRPC_TARGET = "127.0.0.1:8500"
DEFAULT_TIMEOUT_S = 30.0

FeatureRow = Mapping[str, Any]
# What a keep-alive connection the server has closed raises on its next request.
STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, http.client.CannotSendRequest, BrokenPipeError)


class ServingRequestError(Exception):
    """A request the server answered with an error: its HTTP status and TF Serving's message."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def typed_features(row: FeatureRow, types: Mapping[str, str]) -> Dict[str, Any]:
    """`row` with each value made the type its feature has (`types`: name -> DT_FLOAT, ...),
    missing values dropped: the feature object of a `:classify`/`:regress` example.

    TF Serving makes a JSON integer an int64 feature, so 3750 for a float feature must be
    sent as 3750.0; this does that.
    """
    unknown = sorted(set(row) - set(types))
    if unknown:
        raise ValueError(f"features {unknown} are not inputs of the model; it takes {sorted(types)}")
    converters = {"DT_FLOAT": float, "DT_DOUBLE": float, "DT_INT64": int, "DT_INT32": int, "DT_STRING": str}
    typed = {}
    for name, value in row.items():
        if _is_missing(value):
            continue
        convert = converters[types[name]]
        typed[name] = [convert(item) for item in value] if isinstance(value, (list, tuple, np.ndarray)) else convert(value)
    return typed


def serialize_example(row: FeatureRow, types: Mapping[str, str]) -> bytes:
    """A serialized tf.Example of `row` (missing values left out, as in the training data)."""
    from tensorflow.core.example import example_pb2

    example = example_pb2.Example()
    for name, value in typed_features(row, types).items():
        values = value if isinstance(value, list) else [value]
        feature = example.features.feature[name]
        if types[name] == "DT_STRING":
            feature.bytes_list.value.extend(item.encode() for item in values)
        elif types[name] in ("DT_INT64", "DT_INT32"):
            feature.int64_list.value.extend(values)
        else:
            feature.float_list.value.extend(values)
    return example.SerializeToString()


def examples_instances(rows: Sequence[FeatureRow], types: Mapping[str, str]) -> List[Dict[str, str]]:
    """Row-format `instances` for a tf.Example signature: `{"b64": serialized}` per row."""
    return [{"b64": base64.b64encode(serialize_example(row, types)).decode()} for row in rows]


def raw_instances(rows: Sequence[FeatureRow], types: Mapping[str, str]) -> List[Dict[str, Any]]:
    """Row-format `instances` for `serving_raw`: every input named, missing as NaN or ""."""
    instances = []
    for row in rows:
        typed = typed_features(row, types)
        instances.append(
            {name: typed.get(name, "" if dtype == "DT_STRING" else math.nan) for name, dtype in types.items()}
        )
    return instances


class RestClient:
    """TF Serving's REST API: `/v1/models/NAME[/versions/N|/labels/L][:predict|...]`."""

    def __init__(self, url: str = DEFAULT_REST_URL, timeout_s: float = DEFAULT_TIMEOUT_S):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http:// or https:// URL (e.g. {DEFAULT_REST_URL})")
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self._base_path = parts.path.rstrip("/")
        self._new_connection = lambda: (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )(parts.hostname, parts.port, timeout=timeout_s)
        # One keep-alive connection for many requests. http.client, not `requests`: a
        # request through `requests` cost more than the model call itself
        # (bench/results/serving.md).
        self._connection: Optional[http.client.HTTPConnection] = None

    def _model_path(self, model: str, version: Optional[int], label: Optional[str]) -> str:
        if version is not None and label is not None:
            raise ValueError("give a version or a label, not both")
        path = f"{self._base_path}/v1/models/{model}"
        if version is not None:
            path += f"/versions/{version}"
        elif label is not None:
            path += f"/labels/{label}"
        return path

    def _exchange(self, method: str, path: str, data: Optional[bytes]) -> Tuple[int, bytes]:
        """(status, body) of one request; a keep-alive connection the server closed meanwhile
        is reopened once."""
        for last_try in (False, True):
            if self._connection is None:
                self._connection = self._new_connection()
            try:
                self._connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
                response = self._connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.close()
                if last_try or not isinstance(error, STALE_CONNECTION_ERRORS):
                    raise ConnectionError(f"{self.url}: {error}") from None
                continue
            if response.will_close:
                self.close()
            return response.status, payload

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _call(self, method: str, path: str, body: Optional[dict] = None) -> dict:
        # NaN (a missing number in `serving_raw`) goes out as the bare word, which TF
        # Serving's JSON parser accepts (json.dumps writes it).
        data = json.dumps(body).encode() if body is not None else None
        status, payload = self._exchange(method, path, data)
        text = payload.decode("utf-8", errors="replace")
        try:
            answer = json.loads(text)
        except ValueError:
            raise ServingRequestError(status, text[:500]) from None
        if status != 200:
            raise ServingRequestError(status, answer.get("error", text[:500]) if isinstance(answer, dict) else text[:500])
        return answer

    def status(self, model: str, version: Optional[int] = None) -> dict:
        return self._call("GET", self._model_path(model, version, None))

    def metadata(self, model: str, version: Optional[int] = None) -> dict:
        return self._call("GET", self._model_path(model, version, None) + "/metadata")

    def signature_inputs(self, model: str, signature_name: str) -> Dict[str, str]:
        """Input name -> dtype (e.g. DT_FLOAT) of one signature, from the model's metadata."""
        signatures = self.metadata(model)["metadata"]["signature_def"]["signature_def"]
        if signature_name not in signatures:
            raise ValueError(f"{model} has no signature {signature_name!r}; it has {sorted(signatures)}")
        return {name: spec["dtype"] for name, spec in signatures[signature_name]["inputs"].items()}

    def raw_feature_types(self, model: str) -> Dict[str, str]:
        """The raw features a model is served on and their types (its `serving_raw` inputs)."""
        return self.signature_inputs(model, RAW_SIGNATURE)

    def predict(
        self,
        model: str,
        instances: Optional[list] = None,
        *,
        inputs: Any = None,
        signature_name: Optional[str] = None,
        version: Optional[int] = None,
        label: Optional[str] = None,
    ) -> dict:
        """`instances` (row format) or `inputs` (columnar); the whole JSON answer."""
        if (instances is None) == (inputs is None):
            raise ValueError("give exactly one of instances (row format) or inputs (columnar)")
        body: Dict[str, Any] = {"instances": instances} if instances is not None else {"inputs": inputs}
        if signature_name:
            body["signature_name"] = signature_name
        return self._call("POST", self._model_path(model, version, label) + ":predict", body)

    def _examples_call(self, verb: str, model: str, examples, signature_name, context, version, label) -> list:
        body: Dict[str, Any] = {"signature_name": signature_name, "examples": list(examples)}
        if context:
            body["context"] = dict(context)
        return self._call("POST", self._model_path(model, version, label) + f":{verb}", body)["results"]

    def classify(
        self,
        model: str,
        examples: Sequence[Mapping[str, Any]],
        signature_name: str = CLASSIFICATION_SIGNATURE,
        context: Optional[Mapping[str, Any]] = None,
        version: Optional[int] = None,
        label: Optional[str] = None,
    ) -> list:
        """Per example, `[[class, score], ...]` (TF Serving's Classify)."""
        return self._examples_call("classify", model, examples, signature_name, context, version, label)

    def regress(
        self,
        model: str,
        examples: Sequence[Mapping[str, Any]],
        signature_name: str = REGRESSION_SIGNATURE,
        context: Optional[Mapping[str, Any]] = None,
        version: Optional[int] = None,
        label: Optional[str] = None,
    ) -> list:
        """One value per example (TF Serving's Regress)."""
        return self._examples_call("regress", model, examples, signature_name, context, version, label)


class GrpcClient:
    """TF Serving's gRPC PredictionService and ModelService (`tensorflow-serving-api`)."""

    def __init__(self, target: str = DEFAULT_GRPC_TARGET, timeout_s: float = DEFAULT_TIMEOUT_S):
        import grpc
        from tensorflow_serving.apis import model_service_pb2_grpc, prediction_service_pb2_grpc

        self.timeout_s = timeout_s
        self._channel = grpc.insecure_channel(target)
        self._predictions = prediction_service_pb2_grpc.PredictionServiceStub(self._channel)
        self._models = model_service_pb2_grpc.ModelServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    @staticmethod
    def _spec(request, model: str, signature_name: Optional[str], version: Optional[int]) -> None:
        request.model_spec.name = model
        if signature_name:
            request.model_spec.signature_name = signature_name
        if version is not None:
            request.model_spec.version.value = version

    def predict(
        self,
        model: str,
        inputs: Mapping[str, Any],
        signature_name: Optional[str] = None,
        version: Optional[int] = None,
    ) -> Dict[str, np.ndarray]:
        """Calls Predict with batched `inputs` (name -> array; float64 is sent as float32,
        as TF models take); returns the output arrays."""
        import tensorflow as tf
        from tensorflow_serving.apis import predict_pb2

        request = predict_pb2.PredictRequest()
        self._spec(request, model, signature_name, version)
        for name, value in inputs.items():
            array = np.asarray(value)
            if array.dtype == np.float64:
                array = array.astype(np.float32)
            request.inputs[name].CopyFrom(tf.make_tensor_proto(array))
        response = self._predictions.Predict(request, timeout=self.timeout_s)
        return {name: tf.make_ndarray(proto) for name, proto in response.outputs.items()}

    def signature_def_map(self, model: str, version: Optional[int] = None):
        """The model's SignatureDefMap (GetModelMetadata)."""
        from tensorflow_serving.apis import get_model_metadata_pb2

        request = get_model_metadata_pb2.GetModelMetadataRequest(metadata_field=["signature_def"])
        self._spec(request, model, None, version)
        response = self._predictions.GetModelMetadata(request, timeout=self.timeout_s)
        signature_map = get_model_metadata_pb2.SignatureDefMap()
        response.metadata["signature_def"].Unpack(signature_map)
        return signature_map

    def status(self, model: str):
        from tensorflow_serving.apis import get_model_status_pb2

        request = get_model_status_pb2.GetModelStatusRequest()
        request.model_spec.name = model
        return self._models.GetModelStatus(request, timeout=self.timeout_s)
