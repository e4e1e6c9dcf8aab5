"""Starts `python -m serving serve` as a child process and reads the REST address it prints.

For tests and the fault matrix, which need a real server on a free port. Its output goes
to a log file, not a pipe: a server that fills a pipe nobody reads stops.
"""

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence, Tuple

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120
_REST_LINE = re.compile(r"^REST: (http://\S+?)/v1/models", re.MULTILINE)


def start_rest_server(
    model_base_path: Path, log_path: Path, extra_args: Sequence[str] = ()
) -> Tuple[subprocess.Popen, str]:
    """The server on a free REST port, gRPC off; (its process, its REST URL)."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "serving", "serve", "--model-base-path", str(model_base_path),
             "--port", "0", "--grpc-port", "-1", *extra_args],
            cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (match := _REST_LINE.search(log_path.read_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the server did not start:\n{log_path.read_text()[-2000:]}")
        time.sleep(0.2)
    return process, match.group(1)
