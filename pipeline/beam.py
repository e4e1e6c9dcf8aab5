"""Beam runner settings: the one place that turns a run's choices into Beam arguments."""

from typing import Sequence

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
