"""Fast tests of the inspection views' pure parts: flattening, run states, tables, lineage trees."""

import json

from pipeline import inspection, inspection_cli
from pipeline.inspection import ArtifactInfo, Lineage, LineageStep, NodeRun, Run
from pipeline.summary import RunOutcome, format_summary


def make_run(*states: str) -> Run:
    nodes = [NodeRun(f"Node{i}", i, state, "2026-01-01T00:00:00", 1.5 * i) for i, state in enumerate(states, 1)]
    return Run(7, "2026-01-01T00:00:00.1", "penguin", "2026-01-01T00:00:00", 12.25, nodes)


def test_flatten_names_the_leaf_inside_json_text():
    flat = inspection.flatten({"train_args": '{"num_steps": 100}', "custom_config": '{"code_version": "ab", "seed": 42}'})
    assert flat == {"train_args.num_steps": 100, "custom_config.code_version": "ab", "custom_config.seed": 42}


def test_flatten_indexes_lists_and_keeps_plain_strings():
    flat = inspection.flatten({"specs": [{"name": "a"}, {"name": "b"}], "path": "{not json", "empty": "[]"})
    assert flat == {"specs[0].name": "a", "specs[1].name": "b", "path": "{not json", "empty": []}


def test_run_state_failed_beats_running_beats_complete():
    assert make_run("COMPLETE", "CACHED").state == "COMPLETE"
    assert make_run("COMPLETE", "RUNNING").state == "RUNNING"
    assert make_run("FAILED", "RUNNING").state == "FAILED"
    assert make_run().state == "RUNNING"


def test_a_run_the_data_gate_stopped_is_stopped_not_failed():
    run = make_run("COMPLETE", "FAILED")
    run.nodes[1].node, run.gate = inspection.DATA_GATE_NODE, "stopped"
    assert run.state == "STOPPED"
    run.gate = "passed"  # the gate failed for another reason (e.g. no verdict to read)
    assert run.state == "FAILED"
    text = inspection_cli.format_runs([make_run("COMPLETE")])
    assert "span" not in text.splitlines()[0]


def test_run_json_has_the_documented_keys():
    document = json.loads(json.dumps(make_run("COMPLETE").to_json()))
    assert set(document) == {"id", "name", "pipeline", "state", "started", "seconds", "span", "gate", "nodes"}
    assert set(document["nodes"][0]) == {"node", "execution_id", "state", "started", "seconds"}


def test_text_table_aligns_columns_and_shows_none_as_dash():
    lines = inspection_cli.text_table(("id", "type"), [(1, "Examples"), (12, None)])
    assert lines == ["id  type", "1   Examples", "12  -"]


def test_format_runs_lists_each_node_with_state_and_duration():
    text = inspection_cli.format_runs([make_run("CACHED", "FAILED")])
    assert text.splitlines()[0].startswith("run 7  2026-01-01T00:00:00.1  pipeline penguin  FAILED")
    assert "  Node1  CACHED  1.5 s     1" in text and "  Node2  FAILED  3.0 s     2" in text


def test_change_text_signs_the_difference():
    assert inspection_cli.change_text(0.5, 0.75) == "+0.2500"
    assert inspection_cli.change_text(None, 0.75) is None


def artifact(artifact_id: int, type_name: str, **properties) -> ArtifactInfo:
    return ArtifactInfo(artifact_id, type_name, f"/x/{artifact_id}", None, "r1", 1, properties)


def test_lineage_trees_follow_producers_up_and_consumers_down_without_repeating():
    examples, model, pushed = artifact(1, "Examples", span=0), artifact(2, "Model"), artifact(3, "PushedModel", pushed=1)
    gen = LineageStep(10, "CsvExampleGen", "r1", "COMPLETE", {}, {"examples": [1]})
    trainer = LineageStep(11, "Trainer", "r1", "COMPLETE", {"examples": [1], "base": [1]}, {"model": [2]})
    pusher = LineageStep(12, "Pusher", "r1", "COMPLETE", {"model": [2]}, {"pushed_model": [3]})
    lineage = Lineage(
        2, [trainer, gen], [pusher], {1: examples, 2: model, 3: pushed},
        [{"input_base": "/data", "examples_id": 1, "span": 0, "input_fingerprint": "f"}], [],
    )
    upstream, downstream = inspection.lineage_trees(lineage, {"r1": 1})
    assert upstream == [
        (0, "Model 2 <- Trainer [execution 11, run 1, COMPLETE]"),
        (1, "examples: Examples 1 (span=0) <- CsvExampleGen [execution 10, run 1, COMPLETE]: input_base /data"),
        (1, "base: Examples 1 (span=0) (shown above)"),
    ]
    assert downstream == [
        (0, "Model 2"),
        (1, "-> Pusher [execution 12, run 1, COMPLETE]"),
        (2, "pushed_model: PushedModel 3 (pushed=1)"),
    ]


def test_run_summary_ends_with_the_report_command(tmp_path):
    outcome = RunOutcome("penguin", tmp_path / "out" / "logs" / "penguin-1.log")
    last = format_summary(outcome).splitlines()[-1]
    assert last == f"  Report: python -m pipeline report --output-dir {tmp_path / 'out'} --pipeline-name penguin"
