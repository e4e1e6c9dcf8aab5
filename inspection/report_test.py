"""The report's block for what a model reports of itself (samples, neighbours, baselines)."""

from inspection.report import model_report_block
from modules.common.trainer import write_report


def test_the_model_report_keeps_its_lines_and_escapes_them(tmp_path):
    write_report(str(tmp_path), ["Sample: ROMEO: <exit>", "  KING: & more"])
    block = model_report_block(str(tmp_path))
    assert "What the model reports" in block
    assert "Sample: ROMEO: &lt;exit&gt;\n  KING: &amp; more" in block


def test_a_model_without_a_report_adds_nothing(tmp_path):
    assert model_report_block(str(tmp_path)) == ""
