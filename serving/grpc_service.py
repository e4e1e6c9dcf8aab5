"""TF Serving's gRPC API over a `ModelRepository`: PredictionService.Predict and
GetModelMetadata, ModelService.GetModelStatus (the calls `serving/client.py` makes).

Errors carry the gRPC status TF Serving would give (INVALID_ARGUMENT, NOT_FOUND).
"""

from concurrent import futures
from typing import Tuple

import grpc
import tensorflow as tf
from tensorflow_serving.apis import (
    get_model_metadata_pb2,
    get_model_status_pb2,
    model_service_pb2_grpc,
    predict_pb2,
    prediction_service_pb2_grpc,
)

from serving.repository import LoadedModel, ModelRepository, ServingError

GRPC_WORKERS = 8
METADATA_FIELD = "signature_def"
_STATUS_CODES = {400: grpc.StatusCode.INVALID_ARGUMENT, 404: grpc.StatusCode.NOT_FOUND}


def _model(repository: ModelRepository, model_spec) -> LoadedModel:
    version = model_spec.version.value if model_spec.HasField("version") else None
    return repository.model(model_spec.name, version)


def _abort(context: grpc.ServicerContext, error: ServingError) -> None:
    context.abort(_STATUS_CODES.get(error.status, grpc.StatusCode.INTERNAL), error.message)


class PredictionService(prediction_service_pb2_grpc.PredictionServiceServicer):
    def __init__(self, repository: ModelRepository):
        self._repository = repository

    def Predict(self, request: predict_pb2.PredictRequest, context) -> predict_pb2.PredictResponse:
        try:
            model = _model(self._repository, request.model_spec)
            signature_name = request.model_spec.signature_name or tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY
            outputs = model.run(signature_name, {name: tf.make_ndarray(proto) for name, proto in request.inputs.items()})
        except ServingError as error:
            _abort(context, error)
        response = predict_pb2.PredictResponse()
        response.model_spec.name = model.name
        response.model_spec.version.value = model.version
        response.model_spec.signature_name = signature_name
        wanted = set(request.output_filter) or set(outputs)
        for name in wanted & set(outputs):
            response.outputs[name].CopyFrom(tf.make_tensor_proto(outputs[name]))
        return response

    def GetModelMetadata(self, request, context) -> get_model_metadata_pb2.GetModelMetadataResponse:
        if list(request.metadata_field) != [METADATA_FIELD]:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"metadata_field must be [{METADATA_FIELD!r}]")
        try:
            model = _model(self._repository, request.model_spec)
        except ServingError as error:
            _abort(context, error)
        response = get_model_metadata_pb2.GetModelMetadataResponse()
        response.model_spec.name = model.name
        response.model_spec.version.value = model.version
        response.metadata[METADATA_FIELD].Pack(model.signature_def_map())
        return response


class ModelService(model_service_pb2_grpc.ModelServiceServicer):
    def __init__(self, repository: ModelRepository):
        self._repository = repository

    def GetModelStatus(self, request, context) -> get_model_status_pb2.GetModelStatusResponse:
        try:
            statuses = self._repository.status(request.model_spec.name)
        except ServingError as error:
            _abort(context, error)
        response = get_model_status_pb2.GetModelStatusResponse()
        for status in statuses:
            entry = response.model_version_status.add(version=status.version)
            entry.state = get_model_status_pb2.ModelVersionStatus.State.Value(status.state)
            entry.status.error_message = status.error
        return response


def start(repository: ModelRepository, host: str, port: int) -> Tuple[grpc.Server, int]:
    """Starts the gRPC server; returns it and the bound port (port 0 picks a free one)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=GRPC_WORKERS))
    prediction_service_pb2_grpc.add_PredictionServiceServicer_to_server(PredictionService(repository), server)
    model_service_pb2_grpc.add_ModelServiceServicer_to_server(ModelService(repository), server)
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"cannot bind gRPC to {host}:{port}")
    server.start()
    return server, bound
