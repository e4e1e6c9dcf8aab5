"""The REST server's own HTTP handling, on an empty model directory: request parsing,
keep-alive and the errors http.server answers."""

import json
import socket

import pytest

from serving import server


@pytest.fixture(scope="module")
def address(tmp_path_factory):
    running = server.start(tmp_path_factory.mktemp("empty"), rest_port=0, grpc_port=None, report=lambda line: None)
    yield running.host, running.rest_port
    running.stop()


def exchange(connection: socket.socket, request: bytes) -> tuple[str, dict, bytes]:
    """Sends `request`; (status line, headers by lower-cased name, body) of the answer."""
    connection.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(65536)
        assert chunk, f"the server closed the connection after {answer!r}"
        answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    while len(body) < int(headers.get("content-length", 0)):
        body += connection.recv(65536)
    return status, headers, body


def test_keep_alive_serves_requests_in_turn_and_header_names_take_any_case(address):
    with socket.create_connection(address, timeout=10) as connection:
        status, _, body = exchange(connection, b"GET /v1/models/nope HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == "HTTP/1.1 404 Not Found" and "nope" in json.loads(body)["error"]
        status, _, body = exchange(
            connection, b"POST /v1/models/nope:predict HTTP/1.1\r\ncontent-LENGTH: 2\r\n\r\n{}"
        )
        assert status.startswith("HTTP/1.1 404"), "a lower-case Content-Length is read (no 411)"


def test_http_1_0_without_keep_alive_is_closed_after_its_answer(address):
    with socket.create_connection(address, timeout=10) as connection:
        status, _, _ = exchange(connection, b"GET /v1/models/nope HTTP/1.0\r\n\r\n")
        assert status.startswith("HTTP/1.1 404")
        assert connection.recv(1024) == b"", "closed"


def read_until_closed(connection: socket.socket) -> bytes:
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    return answer


@pytest.mark.parametrize(
    "request_bytes, code",
    [
        (b"NONSENSE\r\n\r\n", 400),  # http.server answers a one-word request as HTTP/0.9: no status line
        (b"GET /v1/models/nope HTTP/2.0\r\n\r\n", 505),
        (b"GET /v1/models/nope HTTP/1.1\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n", 431),
        (b"GET /v1/models/nope HTTP/1.1\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", 431),
    ],
)
def test_malformed_requests_get_http_errors_and_the_server_stays_up(address, request_bytes, code):
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(request_bytes)
        assert f"Error code: {code}".encode() in read_until_closed(connection)
    with socket.create_connection(address, timeout=10) as connection:
        assert exchange(connection, b"GET /v1/models/nope HTTP/1.1\r\n\r\n")[0].startswith("HTTP/1.1 404")


def test_a_post_without_a_length_is_refused_and_the_connection_kept(address):
    with socket.create_connection(address, timeout=10) as connection:
        status, _, body = exchange(connection, b"POST /v1/models/nope:predict HTTP/1.1\r\n\r\n")
        assert status.startswith("HTTP/1.1 411") and "Content-Length" in json.loads(body)["error"]
        assert exchange(connection, b"GET /v1/models/nope HTTP/1.1\r\n\r\n")[0].startswith("HTTP/1.1 404")
