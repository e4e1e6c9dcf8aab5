"""The run lock: a second run waits for the first and says for whom; a killed holder frees it."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import run_lock
from pipeline.metadata_backend import MYSQL_PASSWORD_ENV, MYSQL_USER_ENV, MysqlAddress

HOLD_S = 3
# The MySQL lock is tested where tests/test_mysql_metadata_e2e.py runs (CI starts MariaDB).
MYSQL_TEST_ADDRESS_ENV = "MLMD_MYSQL_TEST_ADDRESS"


def _holder(lock_call: str) -> subprocess.Popen:
    """A process that takes the lock, prints `held`, then holds it for HOLD_S seconds."""
    code = (
        "import sys, time; from pathlib import Path; from pipeline import run_lock; "
        "from pipeline.metadata_backend import MysqlAddress\n"
        f"with {lock_call}:\n    print('held', flush=True); time.sleep({HOLD_S})"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                               cwd=Path(__file__).parents[1])
    assert process.stdout.readline().strip() == "held"
    return process


def _wait_for_lock(lock) -> tuple[float, str]:
    terminal = io.StringIO()
    started = time.monotonic()
    with lock(terminal):
        waited = time.monotonic() - started
    return waited, terminal.getvalue()


def test_a_second_run_waits_for_the_first_and_names_it(tmp_path):
    database = tmp_path / "metadata" / "penguin.sqlite"
    holder = _holder(f"run_lock.sqlite_lock(Path({str(database)!r}), sys.stdout)")
    waited, said = _wait_for_lock(lambda terminal: run_lock.sqlite_lock(database, terminal))
    assert holder.wait(timeout=30) == 0
    assert waited > HOLD_S / 2
    assert f"Waiting: another run of this pipeline holds {database} (pid {holder.pid} on " in said
    assert "this run starts after waiting" in said


def test_a_killed_holder_leaves_no_lock_behind(tmp_path):
    database = tmp_path / "penguin.sqlite"
    holder = _holder(f"run_lock.sqlite_lock(Path({str(database)!r}), sys.stdout)")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    waited, said = _wait_for_lock(lambda terminal: run_lock.sqlite_lock(database, terminal))
    assert waited < 1 and said == ""


def test_long_mysql_lock_names_are_hashed_to_its_limit():
    address = MysqlAddress("db", 3306, "metadata")
    assert run_lock.mysql_lock_name(address, "penguin") == "tfx-run/metadata/penguin"
    long_name = run_lock.mysql_lock_name(address, "p" * 100)
    assert len(long_name) <= run_lock.MAX_MYSQL_LOCK_NAME and long_name != run_lock.mysql_lock_name(address, "q" * 100)


@pytest.mark.skipif(not os.environ.get(MYSQL_TEST_ADDRESS_ENV), reason=f"${MYSQL_TEST_ADDRESS_ENV} is not set")
def test_runs_sharing_a_mysql_store_wait_for_each_other():
    assert os.environ.get(MYSQL_USER_ENV) and MYSQL_PASSWORD_ENV in os.environ
    address = MysqlAddress.parse(os.environ[MYSQL_TEST_ADDRESS_ENV])
    pipeline_name = f"lock-test-{os.getpid()}"
    holder = _holder(f"run_lock.mysql_lock(MysqlAddress.parse({str(address)!r}), {pipeline_name!r}, sys.stdout)")
    waited, said = _wait_for_lock(lambda terminal: run_lock.mysql_lock(address, pipeline_name, terminal))
    assert holder.wait(timeout=30) == 0
    assert waited > HOLD_S / 2
    assert f"holds {address} ({pipeline_name}) (MySQL connection " in said


def test_an_unreachable_mysql_store_is_one_clear_error():
    with pytest.raises(ValueError, match=r"metadata store 127\.0\.0\.1:1/mlmd: cannot connect to take the run lock"):
        with run_lock.mysql_lock(MysqlAddress("127.0.0.1", 1, "mlmd"), "penguin", io.StringIO()):
            pass
