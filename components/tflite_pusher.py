"""TFLitePusher: publishes TFLiteExporter's files beside the SavedModel version the Pusher pushed.

It copies the files to `<base_directory>/<version>/`, the version the SavedModel's
Pusher published, and only when that Pusher pushed: the Evaluator blessed the model.
Like `versioned_pusher`, it writes a hidden staging directory and renames it into place
(`components/publishing.py`), and leaves an identical version as it is.
"""

import os
from typing import Any, Dict, Tuple

from tfx import types
from tfx.dsl.components.base import base_component, base_executor, executor_spec
from tfx.dsl.io import fileio
from tfx.types import artifact_utils, standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter

from components import publishing
from components.tflite_artifact import TFLITE_MODEL_KEY, ArtifactsByKey, TFLiteModel

PUSHED_MODEL_KEY = "pushed_model"
PUSHED_TFLITE_KEY = "pushed_tflite"
BASE_DIRECTORY_KEY = "base_directory"
# The custom properties TFX's Pusher sets on its PushedModel, read and written here too.
PUSHED_PROPERTY = "pushed"
PUSHED_DESTINATION_PROPERTY = "pushed_destination"
PUSHED_VERSION_PROPERTY = "pushed_version"
REUSED_VERSION_PROPERTY = "reused_version"


def publish_files(source_dir: str, base_directory: str, version: str) -> Tuple[str, bool]:
    """Copies `source_dir` to `<base_directory>/<version>` atomically; (path, whether reused).

    An identical directory already there is left as it is. A different one (the same
    model converted by another TensorFlow, say) is replaced.
    """
    destination = os.path.join(base_directory, version)
    if fileio.exists(destination) and publishing.same_files(destination, source_dir):
        return destination, True
    return publishing.publish_directory(source_dir, base_directory, version, replace=True), False


class PusherExecutor(base_executor.BaseExecutor):
    """Publishes the TFLite files beside the SavedModel version the Pusher just pushed."""

    def Do(self, input_dict: ArtifactsByKey, output_dict: ArtifactsByKey, exec_properties: Dict[str, Any]) -> None:
        self._log_startup(input_dict, output_dict, exec_properties)
        saved_model_push = artifact_utils.get_single_instance(input_dict[PUSHED_MODEL_KEY])
        tflite_push = artifact_utils.get_single_instance(output_dict[PUSHED_TFLITE_KEY])
        if saved_model_push.get_int_custom_property(PUSHED_PROPERTY) != 1:
            tflite_push.set_int_custom_property(PUSHED_PROPERTY, 0)
            return
        version = saved_model_push.get_string_custom_property(PUSHED_VERSION_PROPERTY)
        base_directory = exec_properties[BASE_DIRECTORY_KEY]
        with publishing.base_directory_lock(base_directory):
            destination, reused = publish_files(
                artifact_utils.get_single_uri(input_dict[TFLITE_MODEL_KEY]), base_directory, version
            )
        tflite_push.set_int_custom_property(PUSHED_PROPERTY, 1)
        tflite_push.set_string_custom_property(PUSHED_DESTINATION_PROPERTY, destination)
        tflite_push.set_string_custom_property(PUSHED_VERSION_PROPERTY, version)
        tflite_push.set_int_custom_property(REUSED_VERSION_PROPERTY, int(reused))


class TFLitePusherSpec(ComponentSpec):
    PARAMETERS = {BASE_DIRECTORY_KEY: ExecutionParameter(type=str)}
    INPUTS = {
        TFLITE_MODEL_KEY: ChannelParameter(type=TFLiteModel),
        PUSHED_MODEL_KEY: ChannelParameter(type=standard_artifacts.PushedModel),
    }
    OUTPUTS = {PUSHED_TFLITE_KEY: ChannelParameter(type=standard_artifacts.PushedModel)}


class TFLitePusher(base_component.BaseComponent):
    """TFLiteModel + the Pusher's PushedModel -> `<base_directory>/<version>/*.tflite`."""

    SPEC_CLASS = TFLitePusherSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(PusherExecutor)

    def __init__(self, tflite_model: types.BaseChannel, pushed_model: types.BaseChannel, base_directory: str) -> None:
        super().__init__(
            TFLitePusherSpec(
                tflite_model=tflite_model,
                pushed_model=pushed_model,
                base_directory=base_directory,
                pushed_tflite=types.Channel(type=standard_artifacts.PushedModel),
            )
        )
