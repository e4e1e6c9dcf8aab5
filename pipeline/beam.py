"""Beam runner settings: the one place that turns a run's choices into Beam arguments."""

import contextlib
from typing import Iterator, List, Sequence

IN_MEMORY = "in_memory"
MULTI_PROCESSING = "multi_processing"
MULTI_THREADING = "multi_threading"
DIRECT_RUNNING_MODES = (IN_MEMORY, MULTI_THREADING, MULTI_PROCESSING)
DEFAULT_RUNNING_MODE = IN_MEMORY


def beam_pipeline_args(
    mode: str = DEFAULT_RUNNING_MODE, workers: int = 1, extra_args: Sequence[str] = ()
) -> list[str]:
    """DirectRunner arguments for `mode` and `workers`, followed by `extra_args` verbatim.

    `in_memory` runs every Beam stage in this process: fastest on small data.
    `multi_processing` spawns `workers` worker processes per stage, which pays off only
    on data large enough to amortise their start-up. `extra_args` (e.g.
    `--runner=FlinkRunner ...`) come last so they override the DirectRunner defaults.
    """
    if mode not in DIRECT_RUNNING_MODES:
        raise ValueError(f"unknown Beam running mode {mode!r}; choose one of {DIRECT_RUNNING_MODES}")
    if workers < 1:
        raise ValueError(f"--workers must be at least 1, got {workers}")
    return [
        f"--direct_running_mode={mode}",
        f"--direct_num_workers={workers if mode != IN_MEMORY else 1}",
        *extra_args,
    ]


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
    DirectRunner workers run in this Python environment and never install it. It cost
    about 1.2 s per Beam component here. Other runners keep TFX's behaviour.
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
