"""A run's state and JSON keys."""

import json

from inspection import records


def make_run(*states: str) -> records.Run:
    nodes = [records.NodeRun(f"Node{i}", i, state, "2026-01-01T00:00:00", 1.5 * i) for i, state in enumerate(states, 1)]
    return records.Run(7, "2026-01-01T00:00:00.1", "penguin", "2026-01-01T00:00:00", 12.25, nodes)


def test_run_state_failed_beats_running_beats_complete():
    assert make_run("COMPLETE", "CACHED").state == "COMPLETE"
    assert make_run("COMPLETE", "RUNNING").state == "RUNNING"
    assert make_run("FAILED", "RUNNING").state == "FAILED"
    assert make_run().state == "RUNNING"
    assert make_run("COMPLETE", "CANCELED").state == "INTERRUPTED"


def test_a_run_the_data_gate_stopped_is_stopped_not_failed():
    run = make_run("COMPLETE", "FAILED")
    run.nodes[1].node, run.gate = records.DATA_GATE_NODE, "stopped"
    assert run.state == "STOPPED"
    run.gate = "passed"  # the gate failed for another reason (e.g. no verdict to read)
    assert run.state == "FAILED"


def test_run_json_has_the_documented_keys():
    document = json.loads(json.dumps(make_run("COMPLETE").to_json()))
    assert set(document) == {"id", "name", "pipeline", "state", "started", "seconds", "span", "gate", "nodes"}
    assert set(document["nodes"][0]) == {"node", "execution_id", "state", "started", "seconds"}
