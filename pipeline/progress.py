"""What a person sees during a run: one line per component, logs kept in a file.

TensorFlow, Beam and TFX write pages of logs, part of them from C++ straight to the
process's stdout/stderr. `captured_output` points both file descriptors at a log file
for the duration of a run and hands back a stream to the real terminal;
`ComponentProgress` turns TFX's "Component X is running/finished" log records into
progress lines.
"""

import contextlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence, TextIO

from absl import logging as absl_logging

LOG_FORMAT = "%(asctime)s %(levelname).1s %(name)s %(filename)s:%(lineno)d] %(message)s"
# The messages LocalDagRunner logs around each node (tfx/orchestration/local/local_dag_runner.py).
NODE_STARTED = "Component %s is running."
NODE_FINISHED = "Component %s is finished."


@contextlib.contextmanager
def captured_output(log_path: Path) -> Iterator[TextIO]:
    """Sends fds 1 and 2 (and Python logging, at INFO) to `log_path`; yields the terminal."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    console = os.fdopen(os.dup(saved_out), "w", buffering=1)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    absl_logging.set_verbosity(absl_logging.INFO)
    try:
        yield console
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        os.close(saved_out)
        os.close(saved_err)
        console.close()


class ComponentProgress(logging.Handler):
    """Prints `[i/n] Node ... STATE  12.3 s` as LocalDagRunner starts and ends each node.

    `state_of(node_id)` is asked for the final state (COMPLETE, CACHED, ...) when a
    node finishes; it reads the metadata store.
    """

    def __init__(
        self, console: TextIO, node_ids: Sequence[str], state_of: Callable[[str], str]
    ) -> None:
        super().__init__(level=logging.INFO)
        self._console = console
        self._node_ids = list(node_ids)
        self._state_of = state_of
        self._width = max(len(n) for n in self._node_ids) + 3
        self._interactive = console.isatty()
        self.running: Optional[str] = None
        self._started = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == NODE_STARTED:
            self._start(record.args[0])
        elif record.msg == NODE_FINISHED:
            node_id = record.args[0]
            self.finish(node_id, self._state_of(node_id))

    def _label(self, node_id: str) -> str:
        position = self._node_ids.index(node_id) + 1 if node_id in self._node_ids else 0
        return f"[{position}/{len(self._node_ids)}] {(node_id + ' ').ljust(self._width, '.')}"

    def _start(self, node_id: str) -> None:
        self.running, self._started = node_id, time.monotonic()
        end = "" if self._interactive else "\n"
        self._console.write(f"{self._label(node_id)} running{end}")
        self._console.flush()

    def finish(self, node_id: str, state: str) -> None:
        seconds = time.monotonic() - self._started
        self.running = None
        prefix = "\r\033[K" if self._interactive else ""
        self._console.write(f"{prefix}{self._label(node_id)} {state:<9} {seconds:6.1f} s\n")
        self._console.flush()
