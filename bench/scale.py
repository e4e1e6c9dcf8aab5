"""`make bench-scale`: the taxi pipeline on 10k, 100k and 1M trips, per node and Beam mode.

The trips are resampled from the shared 15,002 (`data.taxi.resampled`), so every column
keeps the real joint distribution. Each run is a fresh `python -m pipeline run --model
taxi --data DIR` process into an empty output directory, the Trainer at the model's fixed
default steps. A sampler thread adds up the resident memory of the run's whole process
tree (the run and every Beam worker it spawns) every SAMPLE_INTERVAL_S; a node's peak is
the highest sample inside its execution's window in ML Metadata, and its seconds are that
window's length, as TFX recorded them.
"""

import itertools
import json
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import psutil

from bench import trainer_input
from bench.pipeline_speed import PROJECT_ROOT, machine_description, node_windows, sqlite_store
from pipeline.pipeline import RESOLVER_NODE_ID

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_MODES = ("in_memory", "multi_processing")
DEFAULT_WORKERS = 2
SAMPLE_INTERVAL_S = 0.2
RUN_TIMEOUT_S = 3 * 3600
PIPELINE_NAME = "taxi"
MIB = 1024 * 1024
# The size at which the Trainer's input pipeline is compared with in-memory tensors.
TRAINER_INPUT_ROWS = 100_000
# The goal for that comparison: input pipeline examples/s over in-memory examples/s.
TRAINER_INPUT_GOAL = 0.8
# A node is "linear" when 10x its rows costs at most this many times its seconds.
LINEAR_GROWTH = 10.0
# Characters of each run's first lines shown in the table.
FIRST_LINE_CHARS = 120
# Nodes that do not read the rows (their time is fixed overhead): left out of the growth check.
ROW_FREE_NODES = ("ImportSchemaGen", "DataGate", RESOLVER_NODE_ID, "Pusher")


@dataclass
class NodeMeasure:
    state: str
    seconds: float
    peak_rss_mib: Optional[float]


@dataclass
class ScaleRun:
    rows: int
    mode: str
    workers: int
    wall_s: float
    peak_rss_mib: float
    first_lines: List[str]
    nodes: Dict[str, NodeMeasure] = field(default_factory=dict)


class TreeMemorySampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.samples: List[Tuple[float, int]] = []  # (unix seconds, bytes)
        self._stop_event = threading.Event()

    def tree_rss(self) -> int:
        total = 0
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return total

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.samples.append((time.time(), self.tree_rss()))
            except psutil.NoSuchProcess:
                return
            self._stop_event.wait(SAMPLE_INTERVAL_S)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_between(self, start_s: float, end_s: float) -> Optional[float]:
        inside = [rss for at, rss in self.samples if start_s <= at <= end_s]
        return round(max(inside) / MIB, 1) if inside else None


def write_trips(work_dir: Path, rows: int) -> Path:
    from data import taxi

    data_dir = work_dir / f"trips_{rows}"
    print(f"[scale] {taxi.resampled(data_dir, rows)}", flush=True)
    return data_dir


def run_once(work_dir: Path, data_dir: Path, rows: int, mode: str, workers: int) -> ScaleRun:
    out = work_dir / f"run_{rows}_{mode}"
    command = [
        sys.executable, "-m", "pipeline", "run", "--model", PIPELINE_NAME, "--data", str(data_dir),
        "--output-dir", str(out), "--beam-mode", mode, "--workers", str(workers),
    ]
    log_path = work_dir / f"run_{rows}_{mode}.log"
    print(f"[scale] {rows} rows, {mode}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        sampler = TreeMemorySampler(process.pid)
        sampler.start()
        try:
            returncode = process.wait(timeout=RUN_TIMEOUT_S)
        finally:
            sampler.stop()
    wall = time.monotonic() - started
    output = log_path.read_text()
    if returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({returncode}):\n{output[-4000:]}")
    nodes = {
        node: NodeMeasure(state, round(end - start, 2), sampler.peak_between(start, end))
        for node, state, start, end in node_windows(sqlite_store(out / "metadata" / f"{PIPELINE_NAME}.sqlite"), PIPELINE_NAME)
    }
    peak = round(max((rss for _, rss in sampler.samples), default=0) / MIB, 1)
    from_header = itertools.dropwhile(lambda line: not line.startswith("Pipeline "), output.splitlines())
    first_lines = list(itertools.takewhile(lambda line: not line.startswith("["), from_header))
    print(f"[scale] {rows} rows, {mode}: {wall:.1f} s, peak {peak} MiB", flush=True)
    return ScaleRun(rows, mode, workers if mode != "in_memory" else 1, round(wall, 1), peak, first_lines, nodes)


@dataclass
class ScaleResults:
    runs: List[ScaleRun]
    trainer_input: Optional[trainer_input.InputThroughput]


def run_all(
    work_dir: Path,
    sizes: Sequence[int],
    modes: Sequence[str],
    workers: int,
    after_each: Callable[[ScaleResults], object] = lambda results: None,
) -> ScaleResults:
    """Every size through every mode; the Trainer's input measured on the first run at
    TRAINER_INPUT_ROWS (or the largest size below it). `after_each` gets the results so
    far after every run, so an hour of runs is kept when a later one fails."""
    from modules.taxi import MODEL

    runs: List[ScaleRun] = []
    input_rows = max((rows for rows in sizes if rows <= TRAINER_INPUT_ROWS), default=min(sizes))
    throughput = None
    for rows in sizes:
        data_dir = write_trips(work_dir, rows)
        for mode in modes:
            runs.append(run_once(work_dir, data_dir, rows, mode, workers))
            if rows == input_rows and throughput is None:
                metadata_path = work_dir / f"run_{rows}_{mode}" / "metadata" / f"{PIPELINE_NAME}.sqlite"
                throughput = trainer_input.measure(metadata_path, PIPELINE_NAME, MODEL.train_steps)
                print(f"[scale] Trainer input at {rows} rows: {throughput}", flush=True)
            after_each(ScaleResults(runs, throughput))
    return ScaleResults(runs, throughput)


def _rows_text(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


def _node_order(runs: Sequence[ScaleRun]) -> List[str]:
    order: List[str] = []
    for run in runs:
        order += [node for node in run.nodes if node not in order]
    return order


def _short(node: str) -> str:
    return node.replace("latest_blessed_model_resolver", "Resolver")


def growth(runs: Sequence[ScaleRun]) -> List[Tuple[str, str, int, int, float, float]]:
    """(mode, node, rows, next rows, time ratio, rows ratio) for consecutive sizes of one mode."""
    ratios = []
    for mode in dict.fromkeys(run.mode for run in runs):
        series = sorted((run for run in runs if run.mode == mode), key=lambda run: run.rows)
        for smaller, larger in zip(series, series[1:]):
            for node in _node_order(series):
                if node in ROW_FREE_NODES or node not in smaller.nodes or node not in larger.nodes:
                    continue
                before, after = smaller.nodes[node].seconds, larger.nodes[node].seconds
                if before > 0:
                    ratios.append((mode, node, smaller.rows, larger.rows, after / before, larger.rows / smaller.rows))
    return ratios


def to_markdown(results: ScaleResults, machine: str) -> str:
    runs = results.runs
    nodes = _node_order(runs)
    header = "| rows | mode | wall s | " + " | ".join(_short(node) for node in nodes) + " |"
    rule = "|---:|---|---:|" + "---:|" * len(nodes)
    lines = [
        "# The taxi pipeline at scale",
        "",
        f"Machine: {machine}. Trips resampled from the shared 15,002 (`data.taxi.resampled`);",
        "each run a fresh `python -m pipeline run --model taxi --data DIR` into an empty output",
        "directory, Trainer at the model's default steps. Node seconds are the executions' windows",
        f"in ML Metadata; memory is the RSS of the run's whole process tree, sampled every {SAMPLE_INTERVAL_S} s.",
        "",
        "## Seconds per node",
        "",
        header,
        rule,
    ]
    for run in runs:
        cells = [str(run.nodes[node].seconds) if node in run.nodes else "" for node in nodes]
        lines.append(f"| {_rows_text(run.rows)} | {run.mode} ({run.workers}) | {run.wall_s} | " + " | ".join(cells) + " |")
    lines += ["", "## Peak memory per node (MiB, process tree)", "", header.replace("wall s", "peak MiB"), rule]
    for run in runs:
        cells = [
            str(run.nodes[node].peak_rss_mib) if node in run.nodes and run.nodes[node].peak_rss_mib else ""
            for node in nodes
        ]
        lines.append(
            f"| {_rows_text(run.rows)} | {run.mode} ({run.workers}) | {run.peak_rss_mib} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        f"## Growth: seconds at 10x the rows / seconds before (linear is at most {LINEAR_GROWTH:g}x)",
        "",
        "| mode | node | rows | ratio | |",
        "|---|---|---|---:|---|",
    ]
    for mode, node, before, after, ratio, rows_ratio in growth(runs):
        verdict = "over" if ratio > rows_ratio else ""
        lines.append(f"| {mode} | {_short(node)} | {_rows_text(before)} -> {_rows_text(after)} | {ratio:.1f}x | {verdict} |")
    lines += ["", "## Modes side by side (wall seconds)", ""]
    for rows in dict.fromkeys(run.rows for run in runs):
        same = sorted((run for run in runs if run.rows == rows), key=lambda run: run.wall_s)
        lines.append(
            f"- {_rows_text(rows)}: " + ", ".join(f"{run.mode} ({run.workers}) {run.wall_s} s" for run in same)
            + (f"; fastest {same[0].mode}, {same[-1].wall_s / same[0].wall_s:.2f}x" if len(same) > 1 else "")
        )
    throughput = results.trainer_input
    if throughput is not None:
        lines += [
            "",
            f"## The Trainer's input at {throughput.train_rows:,} train rows",
            "",
            f"{throughput.steps} steps of batch {throughput.batch_size} on a fresh taxi model, each after "
            f"{trainer_input.WARMUP_STEPS} warm-up steps; the median of {throughput.repeats} rounds, "
            "the feeds taking turns:",
            "",
            "| fed by | examples/s |",
            "|---|---:|",
            f"| `model.fit` on numpy arrays in memory | {throughput.in_memory_examples_per_s} |",
            f"| the Trainer's input pipeline (`inputs.transformed_dataset`) | {throughput.pipeline_examples_per_s} |",
            f"| the row-at-a-time pipeline it replaced | {throughput.row_at_a_time_examples_per_s} |",
            "",
            f"Input pipeline / in memory: **{throughput.ratio:.2f}x** (goal at least {TRAINER_INPUT_GOAL}x). "
            f"Building the Trainer's dataset took {throughput.pipeline_build_s} s (with `cache_in_memory`, "
            "reading the split in), outside the timed steps.",
        ]
    lines += ["", "First lines of each run:", ""]
    for run in runs:
        shortened = [line if len(line) <= FIRST_LINE_CHARS else line[:FIRST_LINE_CHARS] + "..." for line in run.first_lines]
        lines.append(f"- {_rows_text(run.rows)} {run.mode}: " + " / ".join(f"`{line}`" for line in shortened))
    return "\n".join(lines) + "\n"


def write(results: ScaleResults, results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    machine = machine_description()
    (results_dir / "scale.json").write_text(json.dumps({"machine": machine, **asdict(results)}, indent=1))
    path = results_dir / "scale.md"
    path.write_text(to_markdown(results, machine))
    return path
