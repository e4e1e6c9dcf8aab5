"""`inspect`'s text output."""

from inspection import cli
from inspection.records_test import make_run


def test_format_runs_lists_each_node_with_state_and_duration():
    text = cli.format_runs([make_run("CACHED", "FAILED")])
    assert text.splitlines()[0].startswith("run 7  2026-01-01T00:00:00.1  pipeline penguin  FAILED")
    assert "  Node1  CACHED  1.5 s     1" in text and "  Node2  FAILED  3.0 s     2" in text


def test_change_text_signs_the_difference():
    assert cli.change_text(0.5, 0.75) == "+0.2500"
    assert cli.change_text(None, 0.75) is None


def test_format_runs_shows_no_span_for_a_run_without_one():
    text = cli.format_runs([make_run("COMPLETE")])
    assert "span" not in text.splitlines()[0]
