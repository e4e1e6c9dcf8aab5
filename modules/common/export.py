"""SavedModel export with the Transform graph inside every signature.

Signatures, so that serving needs nothing but the SavedModel:
- `serving_examples`: serialized tf.Examples (input `examples`) -> predictions. This is
  what TF Serving's `{"b64": ...}` requests send, and what TFMA calls.
- `serving_default`: the same function, except for models with an `ImageInput`, whose
  default takes image arrays ([batch, height, width, channels], values in [0, 1]), the
  notes' `{"signature_name": "serving_default", "instances": images}` request.
- `serving_raw`: one named tensor per raw feature, shape [batch] for a single value and
  [batch, n] for a fixed-length vector (e.g. 784 pixels), so a REST client can send
  `{"signature_name": "serving_raw", "instances": [{"feature": value, ...}]}`.
  A missing single value is NaN for a number and "" for a string.
- `transform_features`: serialized tf.Examples -> transformed features, label included;
  TFMA uses it to read the transformed label.
- `transformed_predict`: transformed features -> the Keras model's raw output (`outputs`,
  or one tensor per head), with no string ops: what the TFLite converter takes.
- `classification` / `regression`: TF Serving's Classify and Regress APIs (method names
  `tensorflow/serving/classify` and `.../regress`, input `inputs` of serialized
  tf.Examples), for heads that define them (`Head.classify` / `Head.regress`).
- whatever a model adds of its own (`ExtraSignaturesFn`): a text generator's `generate`,
  an embedding's `neighbours`.
"""

import os
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Optional, Sequence, Tuple

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from tensorflow.core.protobuf import saved_model_pb2

from modules.common.keras_compat import skip_autograph_for_tf_keras
from modules.common.signatures import (
    SERVING_DEFAULT,
    SERVING_EXAMPLES,
    SERVING_RAW,
    TRANSFORM_FEATURES,
    TRANSFORMED_PREDICT,
)

skip_autograph_for_tf_keras()

CLASSIFICATION = "classification"
REGRESSION = "regression"
EXAMPLES_INPUT = "examples"
IMAGES_INPUT = "images"
# TF Serving's Classify/Regress signatures: fixed input and output names and method names.
CLASSIFY_INPUT = tf.saved_model.CLASSIFY_INPUTS
REGRESS_OUTPUT = tf.saved_model.REGRESS_OUTPUTS

Outputs = Dict[str, tf.Tensor]
FeatureSpec = Dict[str, tf.io.FixedLenFeature | tf.io.VarLenFeature]


@dataclass(frozen=True)
class Head:
    """How the model's output is served.

    `predict` names the outputs of the predict signatures; `classify` (classes and scores,
    both [batch, classes]) and `regress` (`outputs`, [batch]) add TF Serving's Classify and
    Regress signatures where the task has them.
    """

    predict: Callable[[tf.Tensor], Outputs]
    classify: Optional[Callable[[tf.Tensor], Outputs]] = None
    regress: Optional[Callable[[tf.Tensor], Outputs]] = None

    def __call__(self, output: tf.Tensor) -> Outputs:
        return self.predict(output)


PredictionsFn = Head | Callable[[tf.Tensor], Outputs]
# (trained model, Transform output) -> {signature name: concrete function}; the model's
# `tft_layer` is set when it is called.
ExtraSignaturesFn = Callable[[tf.keras.Model, tft.TFTransformOutput], Dict[str, tf.types.experimental.ConcreteFunction]]


def _classes_and_scores(names: tf.Tensor, scores: tf.Tensor) -> Outputs:
    """Classify's outputs: every class name per row beside its score."""
    return {"classes": tf.tile(names[tf.newaxis, :], [tf.shape(scores)[0], 1]), "scores": scores}


def softmax_predictions(class_names: Sequence[bytes]) -> Head:
    """Logits -> `scores` (class probabilities) and `classes` (name of the top class)."""
    names = tf.constant(list(class_names))

    def predictions(logits: tf.Tensor) -> Outputs:
        scores = tf.nn.softmax(logits)
        return {"scores": scores, "classes": tf.gather(names, tf.argmax(scores, axis=1))}

    return Head(predictions, classify=lambda logits: _classes_and_scores(names, tf.nn.softmax(logits)))


def sigmoid_predictions(from_logits: bool) -> Head:
    """Binary output -> `scores` (probability of class 1, [batch, 1]) and `classes` (0/1)."""

    def probability(output: tf.Tensor) -> tf.Tensor:
        return tf.sigmoid(output) if from_logits else output

    def predictions(output: tf.Tensor) -> Outputs:
        scores = probability(output)
        return {"scores": scores, "classes": tf.cast(scores[:, 0] > 0.5, tf.int64)}

    def classify(output: tf.Tensor) -> Outputs:
        scores = probability(output)
        return _classes_and_scores(tf.constant([b"0", b"1"]), tf.concat([1.0 - scores, scores], axis=1))

    return Head(predictions, classify=classify)


def regression_predictions(output_name: str = "predictions") -> Head:
    """The model's output as is, named `output_name`."""
    return Head(
        lambda output: {output_name: output},
        regress=lambda output: {REGRESS_OUTPUT: tf.reshape(output, [-1])},
    )


@dataclass(frozen=True)
class ImageInput:
    """Makes `serving_default` take images, the way the notes' REST client sends them.

    Images are [batch, *shape] floats in [0, 1]; the raw feature `key` is
    `image * scale + offset`, flattened (and rounded for an integer feature).
    """

    key: str
    shape: Tuple[int, int, int]
    scale: float = 255.0
    offset: float = 0.0

    def to_raw(self, images: tf.Tensor, spec: tf.io.FixedLenFeature) -> tf.Tensor:
        values = tf.reshape(images, [-1, int(np.prod(self.shape))]) * self.scale + self.offset
        return tf.cast(tf.round(values) if spec.dtype.is_integer else values, spec.dtype)


def _is_missing(values: tf.Tensor) -> tf.Tensor:
    if values.dtype == tf.string:
        return tf.equal(values, "")
    if values.dtype.is_floating:
        return tf.math.is_nan(values)
    return tf.zeros_like(values, dtype=tf.bool)


def _is_vector(spec) -> bool:
    return isinstance(spec, tf.io.FixedLenFeature) and list(spec.shape) not in ([], [1])


def _raw_input_spec(key: str, spec) -> tf.TensorSpec:
    """[batch] for a feature with one value per example, [batch, n] for a vector."""
    return tf.TensorSpec([None] + (list(spec.shape) if _is_vector(spec) else []), spec.dtype, name=key)


def _as_raw_feature(values: tf.Tensor, spec) -> tf.Tensor | tf.SparseTensor:
    """Shapes a `serving_raw` input the way tf.io.parse_example would for `spec`."""
    if isinstance(spec, tf.io.VarLenFeature):
        present = tf.logical_not(_is_missing(values))
        rows = tf.where(present)
        return tf.SparseTensor(
            indices=tf.concat([rows, tf.zeros_like(rows)], axis=1),
            values=tf.boolean_mask(values, present),
            dense_shape=tf.stack([tf.shape(values, out_type=tf.int64)[0], 1]),
        )
    return tf.reshape(values, [-1] + list(spec.shape))


def _model_inputs(model: tf.keras.Model) -> Dict[str, tf.TensorSpec]:
    return {
        name: tf.TensorSpec(tensor.shape, tensor.dtype, name=name)
        for name, tensor in zip(model.input_names, model.inputs)
    }


def build_signatures(
    model: tf.keras.Model,
    tf_transform_output: tft.TFTransformOutput,
    serving_feature_keys: Iterable[str],
    predictions_fn: PredictionsFn,
    image_input: Optional[ImageInput] = None,
    extra_signatures: Optional[ExtraSignaturesFn] = None,
) -> Dict[str, tf.types.experimental.ConcreteFunction]:
    """Concrete functions for the signatures listed in the module docstring.

    `predictions_fn` turns the model's output into the named outputs of the serving
    signatures (for a classifier: class scores and names).
    """
    model.tft_layer = tf_transform_output.transform_features_layer()
    raw_spec: FeatureSpec = tf_transform_output.raw_feature_spec()
    serving_keys = list(serving_feature_keys)
    serving_spec = {key: raw_spec[key] for key in serving_keys}

    def model_output(raw_features):
        transformed = model.tft_layer(raw_features)
        return model({name: transformed[name] for name in model.input_names})

    def examples_signature(head: Callable[[tf.Tensor], Outputs], input_name: str):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name=input_name)])
        def serve(serialized):
            return head(model_output(tf.io.parse_example(serialized, serving_spec)))

        return serve.get_concrete_function()

    @tf.function(input_signature=[_raw_input_spec(key, serving_spec[key]) for key in serving_keys])
    def serve_raw(*values):
        return predictions_fn(
            model_output({key: _as_raw_feature(v, serving_spec[key]) for key, v in zip(serving_keys, values)})
        )

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name=EXAMPLES_INPUT)])
    def transform_features(serialized):
        # The full raw spec, label included: TFMA reads the transformed label from here.
        return model.tft_layer(tf.io.parse_example(serialized, raw_spec))

    @tf.function(input_signature=[_model_inputs(model)])
    def transformed_predict(transformed):
        output = model(transformed)
        return dict(output) if isinstance(output, dict) else {REGRESS_OUTPUT: output}

    serve_examples = examples_signature(predictions_fn, EXAMPLES_INPUT)
    signatures = {
        SERVING_DEFAULT: serve_examples,
        SERVING_EXAMPLES: serve_examples,
        SERVING_RAW: serve_raw.get_concrete_function(),
        TRANSFORM_FEATURES: transform_features.get_concrete_function(),
        TRANSFORMED_PREDICT: transformed_predict.get_concrete_function(),
    }
    if image_input is not None:

        @tf.function(input_signature=[tf.TensorSpec([None, *image_input.shape], tf.float32, name=IMAGES_INPUT)])
        def serve_images(images):
            raw = image_input.to_raw(images, serving_spec[image_input.key])
            return predictions_fn(model_output({image_input.key: _as_raw_feature(raw, serving_spec[image_input.key])}))

        signatures[SERVING_DEFAULT] = serve_images.get_concrete_function()
    if isinstance(predictions_fn, Head) and predictions_fn.classify:
        signatures[CLASSIFICATION] = examples_signature(predictions_fn.classify, CLASSIFY_INPUT)
    if isinstance(predictions_fn, Head) and predictions_fn.regress:
        signatures[REGRESSION] = examples_signature(predictions_fn.regress, CLASSIFY_INPUT)
    if extra_signatures is not None:
        extras = extra_signatures(model, tf_transform_output)
        clashes = set(extras) & set(signatures)
        if clashes:
            raise ValueError(f"a model's own signatures may not replace the shared ones: {sorted(clashes)}")
        signatures.update(extras)
    return signatures


def set_method_names(saved_model_dir: str, method_names: Dict[str, str]) -> None:
    """Rewrites signature method names in saved_model.pb.

    `tf.saved_model.save` marks every signature `tensorflow/serving/predict`; TF Serving's
    Classify and Regress APIs only accept signatures marked as theirs.
    """
    path = os.path.join(saved_model_dir, tf.saved_model.SAVED_MODEL_FILENAME_PB)
    saved_model = saved_model_pb2.SavedModel.FromString(tf.io.gfile.GFile(path, "rb").read())
    for meta_graph in saved_model.meta_graphs:
        for name, method in method_names.items():
            if name in meta_graph.signature_def:
                meta_graph.signature_def[name].method_name = method
    with tf.io.gfile.GFile(path, "wb") as handle:
        handle.write(saved_model.SerializeToString())


def export_serving_model(
    model: tf.keras.Model,
    tf_transform_output: tft.TFTransformOutput,
    output_dir: str,
    serving_feature_keys: Iterable[str],
    predictions_fn: PredictionsFn,
    image_input: Optional[ImageInput] = None,
    extra_signatures: Optional[ExtraSignaturesFn] = None,
) -> None:
    """Saves `model` with its signatures into `output_dir`."""
    signatures = build_signatures(
        model, tf_transform_output, serving_feature_keys, predictions_fn, image_input, extra_signatures
    )
    tf.saved_model.save(model, output_dir, signatures=signatures)
    set_method_names(
        output_dir, {CLASSIFICATION: tf.saved_model.CLASSIFY_METHOD_NAME, REGRESSION: tf.saved_model.REGRESS_METHOD_NAME}
    )
