"""What a run did, and the summary printed at its end."""

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from pipeline.results import Evaluation


@dataclass
class RunOutcome:
    """What a run did, as recorded in the metadata store."""

    pipeline_name: str
    log_path: Path
    seconds: float = 0.0
    run_id: Optional[str] = None
    error: Optional[str] = None
    evaluation: Optional[Evaluation] = None
    # split -> anomalies ExampleValidator found; None when it did not run
    anomalies: Optional[Dict[str, List[str]]] = None
    pushed_path: Optional[str] = None
    reused_version: bool = False
    serving_version: Optional[Path] = None

    @property
    def succeeded(self) -> bool:
        return self.error is None


def shown(path: Path | str) -> str:
    """`path` relative to the working directory when it lies below it."""
    path = Path(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def format_summary(outcome: RunOutcome) -> str:
    """The end-of-run summary: evaluation per slice, blessing, and what is served."""
    status = "succeeded" if outcome.succeeded else "FAILED"
    lines = ["", f"Run {outcome.run_id or '(not recorded)'} {status} in {outcome.seconds:.1f} s"]
    if outcome.error:
        lines.append(f"  error: {outcome.error}")
    if outcome.anomalies is not None:
        if not outcome.anomalies:
            lines.append("  Data anomalies: none")
        for split, messages in outcome.anomalies.items():
            lines.append(f"  Data anomalies in {split}: " + "; ".join(messages))
    evaluation = outcome.evaluation
    if evaluation:
        lines.append(f"  Evaluation on the eval split ({evaluation.metric_name}):")
        width = max((len(s.slice_name) for s in evaluation.slices), default=0)
        for item in evaluation.slices:
            baseline = (
                f"  baseline {item.baseline:.3f} ({item.value - item.baseline:+.3f})"
                if item.baseline is not None
                else ""
            )
            lines.append(
                f"    {item.slice_name.ljust(width)}  {item.value:.3f}  n={item.example_count:<4}{baseline}"
            )
        lines.append(f"  Blessed: {'yes' if evaluation.blessed else 'NO'}")
        lines.extend(f"    failed: {failure}" for failure in evaluation.failures)
    if outcome.pushed_path:
        note = " (identical to the served version: nothing copied)" if outcome.reused_version else ""
        lines.append(f"  Pushed: {shown(outcome.pushed_path)}{note}")
    else:
        lines.append("  Pushed: nothing")
    lines.append(f"  Serving: {shown(outcome.serving_version) if outcome.serving_version else 'none yet'}")
    lines.append(f"  Log: {shown(outcome.log_path)}")
    return "\n".join(lines)
