"""One run of a pipeline at a time on one metadata store: a second run waits and says why.

Two LocalDagRunner processes on one store would interleave their writes to ML Metadata and
to the data root. So `python -m pipeline run` holds a lock for the whole run:
- SQLite: `flock` on `<store file>.lock` beside the database (any pipeline in that file);
- MySQL/MariaDB: the server's named lock `GET_LOCK('<database>/<pipeline>')`, so runs on
  different machines that share the server wait for each other too.

Both kinds end with the process that holds them, `kill -9` included: a killed run never
leaves a lock behind. The holder's description (pid, host, start time) is printed by the
run that waits. Pushes are locked again per serving directory (`components/publishing.py`),
which also covers different pipelines pushing into one directory.
"""

import contextlib
import datetime
import fcntl
import hashlib
import os
import socket
import time
from pathlib import Path
from typing import Iterator, Optional, TextIO

from pipeline.metadata_backend import MYSQL_PASSWORD_ENV, MYSQL_USER_ENV, MysqlAddress

LOCK_SUFFIX = ".lock"
# MySQL named locks are at most 64 characters.
MAX_MYSQL_LOCK_NAME = 64
# GET_LOCK's timeout, in seconds: long waits go round in this step, so a waiting run can be
# stopped with Ctrl-C between tries.
MYSQL_WAIT_STEP_S = 5


def holder_description() -> str:
    """Who holds a lock: this process, its host and when it took it."""
    return f"pid {os.getpid()} on {socket.gethostname()}, since {datetime.datetime.now():%Y-%m-%d %H:%M:%S}"


def mysql_lock_name(address: MysqlAddress, pipeline_name: str) -> str:
    name = f"tfx-run/{address.database}/{pipeline_name}"
    if len(name) <= MAX_MYSQL_LOCK_NAME:
        return name
    return f"tfx-run/{hashlib.sha256(name.encode()).hexdigest()[:48]}"


@contextlib.contextmanager
def sqlite_lock(database: Path, terminal: TextIO) -> Iterator[None]:
    """Holds `flock` on `<database>.lock`; waits, saying for whom, while another run holds it."""
    path = database.with_name(database.name + LOCK_SUFFIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            _wait_message(terminal, str(database), holder)
            started = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)
            _resumed_message(terminal, started)
        handle.seek(0)
        handle.truncate()
        handle.write(holder_description() + "\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def mysql_lock(address: MysqlAddress, pipeline_name: str, terminal: TextIO) -> Iterator[None]:
    """Holds the server's named lock for this pipeline on this database, on a connection of its own."""
    import pymysql

    try:
        connection = pymysql.connect(
            host=address.host,
            port=address.port,
            user=os.environ.get(MYSQL_USER_ENV, ""),
            password=os.environ.get(MYSQL_PASSWORD_ENV, ""),
            database=address.database,
            autocommit=True,
        )
    except pymysql.MySQLError as error:
        reason = error.args[-1] if error.args else error
        raise ValueError(f"metadata store {address}: cannot connect to take the run lock ({reason})") from None
    name = mysql_lock_name(address, pipeline_name)
    try:
        with connection.cursor() as cursor:
            started: Optional[float] = None
            while True:
                cursor.execute("SELECT GET_LOCK(%s, %s)", (name, 0 if started is None else MYSQL_WAIT_STEP_S))
                if cursor.fetchone()[0] == 1:
                    break
                if started is None:
                    cursor.execute("SELECT IS_USED_LOCK(%s)", (name,))
                    (holder,) = cursor.fetchone()
                    _wait_message(terminal, f"{address} ({pipeline_name})", f"MySQL connection {holder}")
                    started = time.monotonic()
            if started is not None:
                _resumed_message(terminal, started)
            try:
                yield
            finally:
                cursor.execute("SELECT RELEASE_LOCK(%s)", (name,))
    finally:
        connection.close()


def _wait_message(terminal: TextIO, store: str, holder: str) -> None:
    print(f"Waiting: another run of this pipeline holds {store} ({holder}); this run starts when it ends.",
          file=terminal, flush=True)


def _resumed_message(terminal: TextIO, started: float) -> None:
    print(f"The other run ended; this run starts after waiting {time.monotonic() - started:.0f} s.",
          file=terminal, flush=True)


def run_lock(sqlite_path: Path, mysql: Optional[MysqlAddress], pipeline_name: str, terminal: TextIO):
    """The lock a run of `pipeline_name` holds on its metadata store (see the module docstring)."""
    if mysql is None:
        return sqlite_lock(sqlite_path, terminal)
    return mysql_lock(mysql, pipeline_name, terminal)
