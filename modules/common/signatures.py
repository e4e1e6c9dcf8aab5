"""The names of the serving signatures every exported model has (`modules.common.export` builds
them). No TensorFlow here: model declarations name the signature the Evaluator calls."""

SERVING_DEFAULT = "serving_default"
SERVING_EXAMPLES = "serving_examples"
SERVING_RAW = "serving_raw"
TRANSFORM_FEATURES = "transform_features"
TRANSFORMED_PREDICT = "transformed_predict"
