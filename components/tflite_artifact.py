"""The TFLiteModel artifact type, and the names that TFLiteExporter and TFLitePusher share for it."""

from typing import Dict, List

from tfx import types

# An executor's input_dict and output_dict.
ArtifactsByKey = Dict[str, List[types.Artifact]]
# The channel key both TFLite components give and take it under.
TFLITE_MODEL_KEY = "tflite_model"


class TFLiteModel(types.Artifact):
    """A model as TFLite flatbuffers: one `<mode>.tflite` file per mode (`components/tflite_conversion.py`)."""

    # `<namespace>.<Title>`: Kubeflow Pipelines v2 refuses custom artifact type names without a namespace.
    TYPE_NAME = "tfx_pipeline.TFLiteModel"
