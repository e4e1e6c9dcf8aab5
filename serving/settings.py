"""The local server's defaults, importable without TensorFlow: the CLI builds its parser
from them, and `python -m serving config` should not pay for a TensorFlow import."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_REST_PORT = 8501  # TF Serving's
DEFAULT_GRPC_PORT = 8500  # TF Serving's
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_POLL_SECONDS = 2.0
