"""The run summary: its TFLite line (where the files went, nothing, or why) and its last line."""

from pathlib import Path

from pipeline.summary import RunOutcome, format_summary


def test_tflite_line_names_the_pushed_files():
    outcome = RunOutcome("p", Path("/logs/p.log"), tflite_pushed_path="/srv/tflite/p/17", tflite_files=["a.tflite", "b.tflite"])
    assert "  TFLite: /srv/tflite/p/17/{a.tflite,b.tflite}" in format_summary(outcome).splitlines()


def test_tflite_line_says_nothing_was_pushed_or_why_the_model_is_not_converted():
    assert "  TFLite: nothing pushed" in format_summary(RunOutcome("p", Path("/logs/p.log"))).splitlines()
    unsupported = RunOutcome("p", Path("/logs/p.log"), tflite_unsupported="needs DecodeJpeg")
    assert "  TFLite: not converted (needs DecodeJpeg)" in format_summary(unsupported).splitlines()


def test_run_summary_ends_with_the_report_command(tmp_path):
    outcome = RunOutcome("penguin", tmp_path / "out" / "logs" / "penguin-1.log")
    last = format_summary(outcome).splitlines()[-1]
    assert last == f"  Report: python -m pipeline report --output-dir {tmp_path / 'out'} --pipeline-name penguin"
