"""SavedModel export with the Transform graph inside every signature.

Three signatures, so that serving needs nothing but the SavedModel:
- `serving_default`: serialized tf.Examples (input `examples`) -> predictions. This is
  what TF Serving's `{"b64": ...}` requests and TFMA call.
- `serving_raw`: one named tensor per raw feature, shape [batch] for a single value and
  [batch, n] for a fixed-length vector (e.g. 784 pixels), so a REST client can send
  `{"signature_name": "serving_raw", "instances": [{"feature": value, ...}]}`.
  A missing single value is NaN for a number and "" for a string.
- `transform_features`: serialized tf.Examples -> transformed features, label included;
  TFMA uses it to read the transformed label.
"""

from typing import Callable, Dict, Iterable, Sequence

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft

from modules.common.keras_compat import skip_autograph_for_tf_keras

skip_autograph_for_tf_keras()

SERVING_DEFAULT = "serving_default"
SERVING_RAW = "serving_raw"
TRANSFORM_FEATURES = "transform_features"
EXAMPLES_INPUT = "examples"

PredictionsFn = Callable[[tf.Tensor], Dict[str, tf.Tensor]]
FeatureSpec = Dict[str, tf.io.FixedLenFeature | tf.io.VarLenFeature]


def softmax_predictions(class_names: Sequence[bytes]) -> PredictionsFn:
    """Logits -> `scores` (class probabilities) and `classes` (name of the top class)."""
    names = tf.constant(list(class_names))

    def predictions(logits: tf.Tensor) -> Dict[str, tf.Tensor]:
        scores = tf.nn.softmax(logits)
        return {"scores": scores, "classes": tf.gather(names, tf.argmax(scores, axis=1))}

    return predictions


def sigmoid_predictions(from_logits: bool) -> PredictionsFn:
    """Binary output -> `scores` (probability of class 1, [batch, 1]) and `classes` (0/1)."""

    def predictions(output: tf.Tensor) -> Dict[str, tf.Tensor]:
        scores = tf.sigmoid(output) if from_logits else output
        return {"scores": scores, "classes": tf.cast(scores[:, 0] > 0.5, tf.int64)}

    return predictions


def regression_predictions(output_name: str = "predictions") -> PredictionsFn:
    """The model's output as is, named `output_name`."""

    def predictions(output: tf.Tensor) -> Dict[str, tf.Tensor]:
        return {output_name: output}

    return predictions


def raw_linear_fit(serving_model_dir: str, feature_keys: Sequence[str]) -> tuple:
    """(weights, bias) of an exported model that is linear in its raw features.

    Probes the `serving_raw` signature at 0 and at each unit vector, so the result is in
    raw feature units whatever linear scaling the Transform applied.
    """
    serve_raw = tf.saved_model.load(serving_model_dir).signatures[SERVING_RAW]
    points = np.vstack([np.zeros(len(feature_keys)), np.eye(len(feature_keys))])
    outputs = serve_raw(**{key: tf.constant(points[:, i], tf.float32) for i, key in enumerate(feature_keys)})
    values = outputs["predictions"].numpy()[:, 0]
    return values[1:] - values[0], float(values[0])


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


def build_signatures(
    model: tf.keras.Model,
    tf_transform_output: tft.TFTransformOutput,
    serving_feature_keys: Iterable[str],
    predictions_fn: PredictionsFn,
) -> Dict[str, tf.types.experimental.ConcreteFunction]:
    """Concrete functions for the three signatures.

    `predictions_fn` turns the model's output into the named outputs of the serving
    signatures (for a classifier: class scores and names).
    """
    model.tft_layer = tf_transform_output.transform_features_layer()
    raw_spec: FeatureSpec = tf_transform_output.raw_feature_spec()
    serving_keys = list(serving_feature_keys)
    serving_spec = {key: raw_spec[key] for key in serving_keys}

    def predict(raw_features):
        transformed = model.tft_layer(raw_features)
        return predictions_fn(model({name: transformed[name] for name in model.input_names}))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name=EXAMPLES_INPUT)])
    def serve_examples(serialized):
        return predict(tf.io.parse_example(serialized, serving_spec))

    @tf.function(input_signature=[_raw_input_spec(key, serving_spec[key]) for key in serving_keys])
    def serve_raw(*values):
        return predict(
            {key: _as_raw_feature(v, serving_spec[key]) for key, v in zip(serving_keys, values)}
        )

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name=EXAMPLES_INPUT)])
    def transform_features(serialized):
        # The full raw spec, label included: TFMA reads the transformed label from here.
        return model.tft_layer(tf.io.parse_example(serialized, raw_spec))

    return {
        SERVING_DEFAULT: serve_examples.get_concrete_function(),
        SERVING_RAW: serve_raw.get_concrete_function(),
        TRANSFORM_FEATURES: transform_features.get_concrete_function(),
    }


def export_serving_model(
    model: tf.keras.Model,
    tf_transform_output: tft.TFTransformOutput,
    output_dir: str,
    serving_feature_keys: Iterable[str],
    predictions_fn: PredictionsFn,
) -> None:
    """Saves `model` with the three signatures into `output_dir`."""
    signatures = build_signatures(model, tf_transform_output, serving_feature_keys, predictions_fn)
    tf.saved_model.save(model, output_dir, signatures=signatures)
