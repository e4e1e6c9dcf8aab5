"""The penguin pipeline with ML Metadata in a MySQL/MariaDB server, read back from that store.

Runs when MLMD_MYSQL_TEST_ADDRESS names a database (HOST:PORT/DB) and MLMD_MYSQL_USER /
MLMD_MYSQL_PASSWORD a user allowed to create tables in it; `.ci/run` starts MariaDB and
sets all three, so CI always runs it.
"""

import os
import re
import uuid

import pytest

from inspection import mlmd
from pipeline.metadata_backend import MysqlAddress, connection_config
from tests.pipeline_runs import CACHED_ON_RERUN, NODES, run_cli

TEST_ADDRESS_ENV = "MLMD_MYSQL_TEST_ADDRESS"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get(TEST_ADDRESS_ENV), reason=f"${TEST_ADDRESS_ENV} is not set"),
]


def test_runs_record_in_mysql_and_read_back_from_it(tmp_path):
    address = os.environ[TEST_ADDRESS_ENV]
    # A fresh name per test run: the database outlives the test and keeps earlier runs.
    pipeline_name = f"penguin_mysql_{uuid.uuid4().hex[:8]}"
    store = mlmd.open_store(connection_config(tmp_path / "unused.sqlite", MysqlAddress.parse(address)))
    first_id = mlmd.max_execution_id(store)
    arguments = ["--metadata-mysql", address, "--pipeline-name", pipeline_name, "--train-steps", "30", "--threshold", "0.6"]

    stdout = run_cli("penguin", tmp_path, *arguments)
    executions = {node: mlmd.latest_node_execution(store, pipeline_name, node, first_id) for node in NODES}
    assert {node: mlmd.state_name(e) for node, e in executions.items() if e} == {node: "COMPLETE" for node in NODES}
    run_id = mlmd.run_id_of(store, executions["Trainer"].id)
    assert f"Run {run_id} succeeded" in stdout
    assert re.search(r"Pushed: \S+/serving/penguin/\d+", stdout)
    assert not (tmp_path / "metadata").exists()  # nothing went to the default SQLite file

    second_id = mlmd.max_execution_id(store)
    run_cli("penguin", tmp_path, *arguments)
    states = {
        node: mlmd.state_name(mlmd.latest_node_execution(store, pipeline_name, node, second_id))
        for node in CACHED_ON_RERUN
    }
    assert states == {node: "CACHED" for node in CACHED_ON_RERUN}
