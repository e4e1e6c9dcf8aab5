"""Every model at its full training setting: the metric it reached vs the notes, train time.

Each model runs once through the CLI with `--full` (the notes' training length where
that differs from the default) on its default data source, the best data available
offline. Figures come from ML Metadata: the Trainer's duration, the Evaluator's metrics
on the eval split, and the Trainer's report.
"""

import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import List

from bench.pipeline_speed import PROJECT_ROOT, machine_description
from inspection import mlmd
from inspection.evaluation import read_evaluation
from modules.common.model_spec import ModelSpec
from modules.common.trainer import read_report
from pipeline.models import MODELS

# The notes' char-RNN at full size trains for over an hour on 2 cores.
MODEL_RUN_TIMEOUT_S = 3 * 3600


@dataclass
class ModelResult:
    model: str
    data_source: str
    train_steps: int
    wall_s: float
    trainer_s: float
    metrics: dict
    blessed: bool
    notes_result: str
    report: List[str] = field(default_factory=list)


def run_pipeline(spec: ModelSpec, output_dir: Path, full: bool = True) -> float:
    """One `python -m pipeline run` of the model (at `--full` length unless `full` is False); its seconds."""
    started = time.monotonic()
    length = ["--full"] if full else []
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--model", spec.name, *length, "--output-dir", str(output_dir)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=MODEL_RUN_TIMEOUT_S,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{spec.name} failed:\n{completed.stdout[-3000:]}")
    return time.monotonic() - started


def measure(spec: ModelSpec, output_dir: Path) -> ModelResult:
    from tfx.orchestration import metadata

    wall = run_pipeline(spec, output_dir)
    store = mlmd.open_store(
        metadata.sqlite_metadata_connection_config(str(output_dir / "metadata" / f"{spec.name}.sqlite"))
    )
    trainer = mlmd.latest_node_execution(store, spec.name, "Trainer")
    evaluator = mlmd.latest_node_execution(store, spec.name, "Evaluator")
    evaluation_outputs = mlmd.output_artifacts(store, evaluator.id)
    evaluation = read_evaluation(
        evaluation_outputs["evaluation"][0].uri, evaluation_outputs["blessing"][0].uri, list(spec.summary_metrics)
    )
    overall = next(item for item in evaluation.slices if item.slice_name == "overall")
    return ModelResult(
        model=spec.name,
        data_source=spec.default_data_source,
        train_steps=spec.full_train_steps or spec.train_steps,
        wall_s=round(wall, 1),
        trainer_s=round((trainer.last_update_time_since_epoch - trainer.create_time_since_epoch) / 1000, 1),
        metrics={label: round(values[0], 4) for label, values in overall.values.items()},
        blessed=evaluation.blessed,
        notes_result=spec.notes_result,
        report=read_report(mlmd.output_artifacts(store, trainer.id)["model_run"][0].uri),
    )


def to_markdown(measured: List[ModelResult], machine: str) -> str:
    lines = [
        "# Models at their full training setting",
        "",
        f"Machine: {machine}. One `python -m pipeline run --model M --full` per model, default data source.",
        "Metrics are on the eval split (TFMA, overall slice). Trainer seconds are from ML Metadata.",
        "",
        "| model | data | steps | eval metrics | notes | blessed | Trainer s | run s |",
        "|---|---|---:|---|---|---|---:|---:|",
    ]
    for r in measured:
        metrics = "<br>".join(f"{label} = {value}" for label, value in r.metrics.items())
        lines.append(
            f"| {r.model} | {r.data_source} | {r.train_steps} | {metrics} | {r.notes_result} | "
            f"{'yes' if r.blessed else 'no'} | {r.trainer_s} | {r.wall_s} |"
        )
    reports = [r for r in measured if r.report]
    if reports:
        lines += ["", "What the models' reports say:", ""]
        for r in reports:
            lines += [f"- **{r.model}**: " + "; ".join(line.strip() for line in r.report)]
    return "\n".join(lines) + "\n"


def _merged_with_earlier(measured: List[ModelResult], json_path: Path) -> List[ModelResult]:
    """Keeps earlier results for models not measured this time, in registry order.

    Slow models (MobileNetV2 at full length) are benchmarked on their own; one table holds all.
    """
    by_name = {}
    if json_path.exists():
        by_name = {row["model"]: ModelResult(**row) for row in json.loads(json_path.read_text())["models"]}
    by_name.update({r.model: r for r in measured})
    return [by_name[name] for name in MODELS if name in by_name]


def write(measured: List[ModelResult], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    machine = machine_description()
    json_path = results_dir / "models.json"
    measured = _merged_with_earlier(measured, json_path)
    json_path.write_text(json.dumps({"machine": machine, "models": [asdict(r) for r in measured]}, indent=1))
    path = results_dir / "models.md"
    path.write_text(to_markdown(measured, machine))
    return path


def run_all(work_dir: Path, names: List[str]) -> List[ModelResult]:
    return [measure(MODELS[name], work_dir / name) for name in names]
