"""`python -m serving config|serve`: TF Serving's config for the pushed models, and a local
server that speaks TF Serving's REST and gRPC APIs."""

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Optional, Sequence

from serving import config, layout, settings

PORT_HELP = "0 picks a free port"


def _config(args: argparse.Namespace) -> int:
    try:
        labels = [config.VersionLabel.parse(text) for text in args.label]
        path = config.write_config(args.model_base_path, args.output, args.container_base_path, args.canary, labels)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for line in config.describe(config.read_config(path)):
        print(line)
    print(f"written: {path}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    # TensorFlow's C++ start-up notices and warnings (no GPU, CPU features) are noise on a
    # server's console; errors still show. Set before TensorFlow is imported, here: `config`
    # needs no TensorFlow.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import modules  # noqa: F401  (Keras 2 for the loaded models; see modules/__init__.py)
    from serving import server

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not args.model_base_path.is_dir():
        print(f"error: {args.model_base_path} is not a directory (push a model with `make run` first)", file=sys.stderr)
        return 2
    running = server.start(
        args.model_base_path,
        host=args.host,
        rest_port=args.port,
        grpc_port=None if args.grpc_port < 0 else args.grpc_port,
        poll_seconds=args.poll_seconds,
        max_body_bytes=args.max_body_bytes,
    )
    print(server.describe(running), flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    running.stop()
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m serving", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    config_parser = commands.add_parser("config", help="write models.config for tensorflow/serving")
    config_parser.add_argument("--model-base-path", type=Path, default=layout.DEFAULT_MODEL_BASE_PATH)
    config_parser.add_argument("--output", type=Path, help=f"default: <model-base-path>/{layout.CONFIG_FILE_NAME}")
    config_parser.add_argument(
        "--container-base-path",
        default=config.CONTAINER_BASE_PATH,
        help="where the container sees the model base path (default /models, as docker-compose.yml mounts it)",
    )
    config_parser.add_argument(
        "--canary", action="store_true", help="serve the newest two versions, labelled stable and canary"
    )
    config_parser.add_argument(
        "--label", action="append", default=[], metavar="MODEL:LABEL=VERSION", help="a version label (repeatable)"
    )
    serve_parser = commands.add_parser("serve", help="serve pushed models over TF Serving's REST and gRPC APIs")
    serve_parser.add_argument("--model-base-path", type=Path, default=layout.DEFAULT_MODEL_BASE_PATH)
    serve_parser.add_argument("--host", default=settings.DEFAULT_HOST, help="default 127.0.0.1 (this machine only)")
    serve_parser.add_argument("--port", type=int, default=settings.DEFAULT_REST_PORT, help=f"REST port; {PORT_HELP}")
    serve_parser.add_argument(
        "--grpc-port", type=int, default=settings.DEFAULT_GRPC_PORT, help=f"gRPC port; {PORT_HELP}, -1 turns gRPC off"
    )
    serve_parser.add_argument("--poll-seconds", type=float, default=settings.DEFAULT_POLL_SECONDS)
    serve_parser.add_argument("--max-body-bytes", type=int, default=settings.DEFAULT_MAX_BODY_BYTES)
    serve_parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    return _config(args) if args.command == "config" else _serve(args)


if __name__ == "__main__":
    sys.exit(main())
