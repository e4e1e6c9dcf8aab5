"""What a run did, and the summary printed at its end."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from components.data_findings import Verdict
from inspection.evaluation import Evaluation
from inspection.text import shown, text_table


@dataclass
class RunOutcome:
    """What a run did, as recorded in the metadata store."""

    pipeline_name: str
    log_path: Path
    seconds: float = 0.0
    run_id: Optional[str] = None
    error: Optional[str] = None
    evaluation: Optional[Evaluation] = None
    # the span ExampleGen read (0 for a flat data directory); None when it did not run
    span: Optional[int] = None
    # what the data gate decided; None when DataValidator did not run
    verdict: Optional[Verdict] = None
    # lines the Trainer's model report asks to show (e.g. learned weights)
    model_report: List[str] = field(default_factory=list)
    pushed_path: Optional[str] = None
    reused_version: bool = False
    serving_version: Optional[Path] = None
    # the version directory the TFLite files were pushed to and their names, or why there are none
    tflite_pushed_path: Optional[str] = None
    tflite_files: List[str] = field(default_factory=list)
    tflite_unsupported: str = ""
    # Every node reused its cached result (a resolver always resolves, so it does not count):
    # the same run again would change nothing (see pipeline/settled.py).
    changed_nothing: bool = False

    @property
    def succeeded(self) -> bool:
        return self.error is None

    @property
    def gated(self) -> bool:
        """The data gate stopped this run's span."""
        return self.verdict is not None and self.verdict.stopped


def _evaluation_table(evaluation: Evaluation) -> List[str]:
    """Rows of `slice  n  metric (baseline, change) ...`, aligned."""
    rows = [["slice", "n"] + evaluation.metric_labels]
    for item in evaluation.slices:
        cells = [item.slice_name, str(item.example_count)]
        for label in evaluation.metric_labels:
            value, baseline = item.values.get(label, (None, None))
            text = "" if value is None else f"{value:.4f}"
            if value is not None and baseline is not None:
                text += f" (baseline {baseline:.4f}, {value - baseline:+.4f})"
            cells.append(text)
        rows.append(cells)
    return text_table(rows[0], rows[1:])


def _tflite_line(outcome: RunOutcome) -> str:
    """Where the TFLite files went, or why a model has none."""
    if outcome.tflite_unsupported:
        return f"not converted ({outcome.tflite_unsupported})"
    if outcome.tflite_pushed_path:
        return f"{shown(outcome.tflite_pushed_path)}/{{{','.join(outcome.tflite_files)}}}"
    return "nothing pushed"


def _gate_lines(verdict: Verdict) -> List[str]:
    """`Data gate: passed`, or STOPPED with one aligned row per finding."""
    accepted = [finding for finding in verdict.findings if finding.accepted]
    baseline = "the served model's training data" if verdict.baseline else "no served model yet: schema and skew only"
    text = "passed" if not verdict.stopped else f"STOPPED ({len(verdict.open_findings)} finding(s))"
    lines = [f"  Data gate: {text}; compared with {baseline}"]
    rows = [["split", "feature", "kind", "description"]]
    rows += [[f.split, f.feature, f.kind + (" (accepted)" if f.accepted else ""), f.description] for f in verdict.findings]
    if len(rows) > 1:
        lines += [f"    {row}" for row in text_table(rows[0], rows[1:])]
    unused = [a for a in verdict.accepted if not any(f.matches(a) for f in accepted)]
    lines += [f"    accepted {a}: matched no finding" for a in unused]
    return lines


def format_summary(outcome: RunOutcome) -> str:
    """The end-of-run summary: the data gate, evaluation per slice, blessing, and what is served."""
    status = "STOPPED by the data gate" if outcome.gated else "succeeded" if outcome.succeeded else "FAILED"
    lines = ["", f"Run {outcome.run_id or '(not recorded)'} {status} in {outcome.seconds:.1f} s"]
    if outcome.error and not outcome.gated:
        lines.append(f"  error: {outcome.error}")
    if outcome.span is not None:
        lines.append(f"  Span: {outcome.span}")
    if outcome.verdict is not None:
        lines.extend(_gate_lines(outcome.verdict))
    evaluation = outcome.evaluation
    if evaluation:
        lines.append("  Evaluation on the eval split:")
        lines.extend(f"    {row}" for row in _evaluation_table(evaluation))
        lines.append(f"  Blessed: {'yes' if evaluation.blessed else 'NO'}")
        lines.extend(f"    failed: {failure}" for failure in evaluation.failures)
    lines.extend(f"  {line}" for line in outcome.model_report)
    if outcome.pushed_path:
        note = " (identical to the served version: nothing copied)" if outcome.reused_version else ""
        lines.append(f"  Pushed: {shown(outcome.pushed_path)}{note}")
    else:
        lines.append("  Pushed: nothing")
    lines.append(f"  Serving: {shown(outcome.serving_version) if outcome.serving_version else 'none yet'}")
    lines.append(f"  TFLite: {_tflite_line(outcome)}")
    lines.append(f"  Log: {shown(outcome.log_path)}")
    lines.append(f"  Report: {report_command(outcome)}")
    return "\n".join(lines)


def settled_summary(summary: str) -> str:
    """A summary without its first lines (the blank line and `Run ... in N s`), kept for the
    runs that will find nothing changed."""
    return "\n".join(summary.split("\n")[2:])


def format_unchanged(run_id: str, settled_summary_text: str) -> str:
    """The summary of a run that found nothing changed since run `run_id`: that run's summary."""
    return "\n".join([
        f"Nothing changed since run {run_id}: the same code, settings, input files and served versions,",
        "and nothing recorded since; every node would be CACHED, so nothing ran (--no-cache runs them).",
        "",
        f"Run {run_id} stands",
        settled_summary_text,
    ])


def report_command(outcome: RunOutcome) -> str:
    """The command that writes this run's HTML report; logs live in OUTPUT_DIR/logs/, so the
    log path names the output directory (a run with --metadata-path or --metadata-mysql adds that flag)."""
    output_dir = shown(outcome.log_path.parent.parent)
    return f"python -m pipeline report --output-dir {output_dir} --pipeline-name {outcome.pipeline_name}"
