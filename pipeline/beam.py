"""Beam runner settings: the one place that turns a run's choices into Beam arguments."""

import contextlib
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

IN_MEMORY = "in_memory"
MULTI_PROCESSING = "multi_processing"
MULTI_THREADING = "multi_threading"
DIRECT_RUNNING_MODES = (IN_MEMORY, MULTI_THREADING, MULTI_PROCESSING)
DEFAULT_RUNNING_MODE = IN_MEMORY
# `--beam-mode auto` (the default of `run`): the mode is picked by the input's row count.
AUTO = "auto"
# In `make bench-scale` (bench/results/scale.md) the taxi pipeline ran faster in_memory at
# 100k rows (1.21x) and in multi_processing with 2 workers at 1M (1.18x); the straight
# lines through the measured wall times cross near 250k rows.
MULTI_PROCESSING_FROM_ROWS = 250_000
# Each worker is a process with its own TensorFlow: at 1M rows two workers took the run's
# peak from 3.1 to 5.6 GB, so auto stops at this many however many CPUs there are.
AUTO_MAX_WORKERS = 4

DIRECT = "direct"
FLINK = "flink"
SPARK = "spark"
DATAFLOW = "dataflow"
DEFAULT_RUNNER = DIRECT


@dataclass(frozen=True)
class RunnerPreset:
    """A Beam runner's fixed arguments, and the options only the person running it knows."""

    args: Tuple[str, ...]
    required_options: Tuple[str, ...]
    example: str


# Flink and Spark run through Beam's portable framework. LOOPBACK makes their SDK workers
# call back into the launching process, which has this project installed; a cluster
# that cannot reach it takes `--environment_type=DOCKER --environment_config=IMAGE`
# (the pipeline image) through --beam-arg instead, since later arguments win.
RUNNERS = {
    DIRECT: RunnerPreset((), (), ""),
    FLINK: RunnerPreset(
        ("--runner=FlinkRunner", "--environment_type=LOOPBACK"),
        ("flink_master",),
        "--beam-arg=--flink_master=localhost:8081",
    ),
    SPARK: RunnerPreset(
        ("--runner=PortableRunner", "--environment_type=LOOPBACK"),
        ("job_endpoint",),
        "--beam-arg=--job_endpoint=localhost:8099",
    ),
    DATAFLOW: RunnerPreset(
        ("--runner=DataflowRunner",),
        ("project", "region", "temp_location"),
        "--beam-arg=--project=P --beam-arg=--region=us-central1 --beam-arg=--temp_location=gs://B/tmp",
    ),
}


def _option_names(args: Sequence[str]) -> set[str]:
    """Names of the `--name=value` or `--name value` options in `args`."""
    return {arg[2:].split("=", 1)[0] for arg in args if arg.startswith("--")}


def beam_pipeline_args(
    mode: str = DEFAULT_RUNNING_MODE,
    workers: int = 1,
    extra_args: Sequence[str] = (),
    runner: str = DEFAULT_RUNNER,
) -> list[str]:
    """Arguments for `runner` (DirectRunner: `mode` and `workers`), then `extra_args` verbatim.

    `in_memory` runs every Beam stage in this process: fastest on small data.
    `multi_processing` spawns `workers` worker processes per stage, which pays off only
    on data large enough to amortise their start-up. The other runners get their
    preset, and must find their required options among `extra_args`. `extra_args` come
    last so they override the presets.
    """
    if runner not in RUNNERS:
        raise ValueError(f"unknown Beam runner {runner!r}; choose one of {tuple(RUNNERS)}")
    if mode not in DIRECT_RUNNING_MODES:
        raise ValueError(f"unknown Beam running mode {mode!r}; choose one of {DIRECT_RUNNING_MODES}")
    if workers < 1:
        raise ValueError(f"--workers must be at least 1, got {workers}")
    preset = RUNNERS[runner]
    if runner != DIRECT:
        if (mode, workers) != (DEFAULT_RUNNING_MODE, 1):
            raise ValueError(
                f"--beam-mode {mode} --workers {workers} set the DirectRunner; Beam runner {runner!r} "
                "takes its parallelism from --beam-arg (e.g. --beam-arg=--parallelism=4)"
            )
        missing = [name for name in preset.required_options if name not in _option_names(extra_args)]
        if missing:
            raise ValueError(
                f"Beam runner {runner!r} needs {', '.join('--' + name for name in missing)}, e.g. {preset.example}"
            )
        return [*preset.args, *extra_args]
    return [
        f"--direct_running_mode={mode}",
        f"--direct_num_workers={workers if mode != IN_MEMORY else 1}",
        *extra_args,
    ]


@dataclass(frozen=True)
class ModeChoice:
    """The DirectRunner mode and workers a run uses, and why (shown in the run's first lines)."""

    mode: str
    workers: int
    reason: str

    def describe(self) -> str:
        workers = f" with {self.workers} workers" if self.mode != IN_MEMORY else ""
        return f"{self.mode}{workers} ({self.reason})"


def choose_mode(requested: str, workers: Optional[int], rows: Optional[int], cpus: Optional[int]) -> ModeChoice:
    """`requested` as given, or for `auto` the mode the input's `rows` run fastest in:
    multi_processing from MULTI_PROCESSING_FROM_ROWS rows on, with `workers` or one per CPU
    (2 to AUTO_MAX_WORKERS), else in_memory. Unknown rows (a compiled pipeline) keep in_memory."""
    if requested != AUTO:
        return ModeChoice(requested, workers or 1, "--beam-mode")
    if rows is None:
        return ModeChoice(IN_MEMORY, 1, "auto: the input's size is not known here")
    threshold = f"{MULTI_PROCESSING_FROM_ROWS:,}"
    if rows < MULTI_PROCESSING_FROM_ROWS:
        return ModeChoice(IN_MEMORY, 1, f"auto: {rows:,} rows, under the {threshold} from which multi_processing is faster")
    chosen = workers or min(max(cpus or 1, 2), AUTO_MAX_WORKERS)
    reason = f"auto: {rows:,} rows, at least {threshold}; --beam-mode in_memory uses less memory"
    return ModeChoice(MULTI_PROCESSING, chosen, reason)


DIRECT_RUNNER_NAMES = (None, "DirectRunner", "direct", "SwitchingDirectRunner", "BundleBasedDirectRunner")


def uses_direct_runner(args: Sequence[str]) -> bool:
    """True when `args` leave Beam on a DirectRunner (no --runner, or a direct one)."""
    from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

    return PipelineOptions(list(args)).view_as(StandardOptions).runner in DIRECT_RUNNER_NAMES


@contextlib.contextmanager
def no_tfx_packaging_for_direct_runner() -> Iterator[None]:
    """Stops TFX from building a tfx sdist for every Beam component on a DirectRunner.

    TFX's Beam executors build and stage an "ephemeral" tfx source package unless the
    Beam arguments name one; remote workers (Dataflow, Flink, Spark) need it, but
    DirectRunner workers run in this Python environment and never install it, so the build
    is time lost in every Beam component (bench/results/design_measurements.md). Other
    runners keep TFX's behaviour.
    """
    from tfx.utils import dependency_utils

    original = dependency_utils.make_beam_dependency_flags

    def dependency_flags(beam_args: List[str]) -> List[str]:
        return list(beam_args) if uses_direct_runner(beam_args) else original(beam_args)

    dependency_utils.make_beam_dependency_flags = dependency_flags
    try:
        yield
    finally:
        dependency_utils.make_beam_dependency_flags = original
