"""TFLiteExporter: converts the Trainer's model to TFLite files, one per mode.

It converts one signature of the Trainer's SavedModel (the pipeline passes
`transformed_predict`: transformed features in, the Keras model's raw output out, with
no Transform graph or string ops, which TFLite lacks) in every mode of
`components/tflite_conversion.py` (float16, dynamic_range, int8), calibrating int8 on the
first ~100 transformed training examples. It depends on the model and Transform's outputs
only, so a cached Trainer leaves it cached, and it converts in-process (no Beam): a few
seconds for a small model. `components/tflite_pusher.py` publishes the files.
"""

import os
from typing import Any, Dict

from tfx import types
from tfx.dsl.components.base import base_component, base_executor, executor_spec
from tfx.dsl.io import fileio
from tfx.types import artifact_utils, standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter
from tfx.utils import path_utils

from components import tflite_conversion
from components.tflite_artifact import TFLITE_MODEL_KEY, ArtifactsByKey, TFLiteModel

TRAIN_SPLIT = "train"
# The notes: "Small amount of data needed - e.g. 100 samples".
DEFAULT_REPRESENTATIVE_EXAMPLES = 100

MODEL_KEY = "model"
TRANSFORMED_EXAMPLES_KEY = "transformed_examples"
TRANSFORM_GRAPH_KEY = "transform_graph"
SIGNATURE_KEY = "signature_key"
REPRESENTATIVE_EXAMPLES_KEY = "representative_examples"


class ExporterExecutor(base_executor.BaseExecutor):
    """Converts the model's signature in every mode and writes the files into the artifact."""

    def Do(self, input_dict: ArtifactsByKey, output_dict: ArtifactsByKey, exec_properties: Dict[str, Any]) -> None:
        self._log_startup(input_dict, output_dict, exec_properties)
        model_dir = path_utils.serving_model_path(artifact_utils.get_single_uri(input_dict[MODEL_KEY]))
        signature_key = exec_properties[SIGNATURE_KEY]
        inputs = tflite_conversion.signature_inputs(model_dir, signature_key)
        train_examples = tflite_conversion.read_transformed_examples(
            artifact_utils.get_split_uri(input_dict[TRANSFORMED_EXAMPLES_KEY], TRAIN_SPLIT),
            artifact_utils.get_single_uri(input_dict[TRANSFORM_GRAPH_KEY]),
            inputs,
            int(exec_properties[REPRESENTATIVE_EXAMPLES_KEY]),
        )
        representative = tflite_conversion.as_signature_inputs(train_examples, inputs)
        tflite_model = artifact_utils.get_single_instance(output_dict[TFLITE_MODEL_KEY])
        fileio.makedirs(tflite_model.uri)
        for mode, flatbuffer in tflite_conversion.convert_all(model_dir, signature_key, representative).items():
            with fileio.open(os.path.join(tflite_model.uri, tflite_conversion.tflite_file_name(mode)), "wb") as handle:
                handle.write(flatbuffer)
            tflite_model.set_int_custom_property(f"{mode}_bytes", len(flatbuffer))


class TFLiteExporterSpec(ComponentSpec):
    PARAMETERS = {
        SIGNATURE_KEY: ExecutionParameter(type=str),
        REPRESENTATIVE_EXAMPLES_KEY: ExecutionParameter(type=int),
    }
    INPUTS = {
        MODEL_KEY: ChannelParameter(type=standard_artifacts.Model),
        TRANSFORMED_EXAMPLES_KEY: ChannelParameter(type=standard_artifacts.Examples),
        TRANSFORM_GRAPH_KEY: ChannelParameter(type=standard_artifacts.TransformGraph),
    }
    OUTPUTS = {TFLITE_MODEL_KEY: ChannelParameter(type=TFLiteModel)}


class TFLiteExporter(base_component.BaseComponent):
    """Trainer's model -> TFLiteModel (float16, dynamic_range, int8); see the module docstring."""

    SPEC_CLASS = TFLiteExporterSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(ExporterExecutor)

    def __init__(
        self,
        model: types.BaseChannel,
        transformed_examples: types.BaseChannel,
        transform_graph: types.BaseChannel,
        signature_key: str,
        representative_examples: int = DEFAULT_REPRESENTATIVE_EXAMPLES,
    ) -> None:
        super().__init__(
            TFLiteExporterSpec(
                model=model,
                transformed_examples=transformed_examples,
                transform_graph=transform_graph,
                signature_key=signature_key,
                representative_examples=representative_examples,
                tflite_model=types.Channel(type=TFLiteModel),
            )
        )
