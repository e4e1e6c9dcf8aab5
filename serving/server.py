"""A local model server that speaks TF Serving's REST API (and its gRPC Predict).

The development and test stand-in for `tensorflow/serving` where Docker is not available:
same URLs, request and response bodies, and error bodies (`serving/rest_api.py`), the same
newest-version policy with hot reload (`serving/repository.py`). It binds 127.0.0.1 unless
told otherwise, refuses bodies over a size limit, and never lets one bad request or one
bad model version take it down.
"""

import logging
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional

from serving import rest_api
from serving.repository import ModelRepository, Poller, ServingError
from serving.settings import (
    DEFAULT_GRPC_PORT,
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_POLL_SECONDS,
    DEFAULT_REST_PORT,
)

log = logging.getLogger(__name__)

# http.client's limits on one header line and on the header count, which http.server applies.
MAX_HEADER_LINE = 65536
MAX_HEADERS = 100


class _Headers(dict):
    """Request headers by lower-cased name; `get` takes any case, as http.server's do."""

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        return super().get(name.lower(), default)


class _HTTPServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a burst of new connections from a few
    # dozen clients would be reset. TF Serving's own server accepts far more.
    request_queue_size = 1024
    daemon_threads = True


def _handler_class(repository: ModelRepository, max_body_bytes: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as TF Serving's HTTP server
        # A buffered writer: the status line, headers and body leave in one send when the
        # request is done, not one send per header block and body.
        wbufsize = 64 * 1024
        # A body over the buffer still goes out in a second send; with Nagle's algorithm
        # on, it waits for the client's delayed ACK (bench/results/design_measurements.md).
        disable_nagle_algorithm = True
        server_version = "tfx-pipeline-reference-serving"

        def parse_request(self) -> bool:
            """The usual request, `METHOD /path HTTP/1.x` and plain headers, read here; any
            other goes to http.server's parser, which answers its errors. That parser reads
            headers with the email package: a third of the server's own time a request."""
            words = self.raw_requestline.split()
            if len(words) != 3 or words[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
                return super().parse_request()
            self.command, path, self.request_version = (word.decode("iso-8859-1") for word in words)
            self.path = "/" + path.lstrip("/") if path.startswith("//") else path
            self.requestline = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
            headers = _Headers()
            for _ in range(MAX_HEADERS + 1):
                line = self.rfile.readline(MAX_HEADER_LINE + 1)
                if len(line) > MAX_HEADER_LINE:
                    self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long")
                    return False
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("iso-8859-1").partition(":")
                headers.setdefault(name.strip().lower(), value.strip())  # the first wins, as in http.server
            else:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
                return False
            self.headers = headers
            connection = headers.get("Connection", "").lower()
            http_1_0 = self.request_version == "HTTP/1.0"
            self.close_connection = connection == "close" or (http_1_0 and connection != "keep-alive")
            if headers.get("Expect", "").lower() == "100-continue" and self.request_version == "HTTP/1.1":
                return self.handle_expect_100()
            return True

        def handle_expect_100(self) -> bool:
            # curl asks before sending a body over 1 KB and waits a second for the
            # interim answer, which the buffered writer would otherwise hold back.
            sent = super().handle_expect_100()
            self.wfile.flush()
            return sent

        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            length_header = self.headers.get("Content-Length")
            if length_header is None or not length_header.isdigit():
                self._send(HTTPStatus.LENGTH_REQUIRED, {"error": "a Content-Length header is required"})
                return
            length = int(length_header)
            if length > max_body_bytes:
                self.close_connection = True
                self._send(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    {"error": f"request body of {length} bytes is over the limit of {max_body_bytes} bytes"},
                )
                return
            self._answer(self.rfile.read(length))

        def _answer(self, body: bytes) -> None:
            try:
                answer = rest_api.route(repository, self.command, self.path, body)
            except ServingError as error:
                self._send(error.status, {"error": error.message})
                return
            except Exception as error:  # answer 500 and keep serving
                log.exception("%s %s failed", self.command, self.path)
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(error).__name__}: {error}"})
                return
            self._send(HTTPStatus.OK, answer)

        def _send(self, status: int, value: dict) -> None:
            payload = rest_api.json_response(value)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args) -> None:
            if log.isEnabledFor(logging.INFO):
                log.info("%s %s", self.address_string(), format % args)

    return Handler


@dataclass
class RunningServer:
    """A started server: its addresses, and `stop()`."""

    repository: ModelRepository
    host: str
    rest_port: int
    grpc_port: Optional[int]
    _http: ThreadingHTTPServer
    _poller: Poller
    _grpc: object

    @property
    def rest_url(self) -> str:
        return f"http://{self.host}:{self.rest_port}"

    @property
    def grpc_target(self) -> str:
        return f"{self.host}:{self.grpc_port}"

    def stop(self) -> None:
        self._poller.stop()
        self._http.shutdown()
        self._http.server_close()
        if self._grpc is not None:
            self._grpc.stop(grace=None)


def start(
    model_base_path: Path,
    host: str = DEFAULT_HOST,
    rest_port: int = DEFAULT_REST_PORT,
    grpc_port: Optional[int] = DEFAULT_GRPC_PORT,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    report: Callable[[str], None] = print,
) -> RunningServer:
    """Loads every model under `model_base_path` and serves it on background threads.

    Port 0 picks a free port; `grpc_port=None` serves REST only.
    """
    repository = ModelRepository(Path(model_base_path))
    for change in repository.refresh():
        report(change)
    http = _HTTPServer((host, rest_port), _handler_class(repository, max_body_bytes))
    threading.Thread(target=http.serve_forever, name="rest-server", daemon=True).start()
    grpc_server, bound_grpc_port = None, None
    if grpc_port is not None:
        from serving import grpc_service

        grpc_server, bound_grpc_port = grpc_service.start(repository, host, grpc_port)
    poller = Poller(repository, poll_seconds, report)
    poller.start()
    return RunningServer(repository, host, http.server_address[1], bound_grpc_port, http, poller, grpc_server)


def describe(server: RunningServer) -> str:
    lines = [f"REST: {server.rest_url}/v1/models/<model>[:predict|:classify|:regress|/metadata]"]
    if server.grpc_port is not None:
        lines.append(f"gRPC: {server.grpc_target} (tensorflow.serving.PredictionService)")
    models = server.repository.names()
    lines.append("models: " + (", ".join(models) if models else "none yet (watching for pushes)"))
    return "\n".join(lines)

