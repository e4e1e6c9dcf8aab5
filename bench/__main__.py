"""`python -m bench` (or `make bench`): runs the benchmarks and writes bench/results/."""

import argparse
import tempfile
from pathlib import Path

from bench import pipeline_speed

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--upstream-modes",
        default="in_memory,multi_processing",
        help="Beam modes to run the upstream example in, comma-separated ('' to skip it)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per series: one cold, the rest reruns")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    args = parser.parse_args()

    measured = []
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        measured += pipeline_speed.ours(Path(work), args.runs)
        for mode in filter(None, args.upstream_modes.split(",")):
            measured += pipeline_speed.upstream(Path(work), mode, min(args.runs, 2))
    path = pipeline_speed.write(measured, args.results_dir)
    print(path.read_text())
    print(f"written: {path}")


if __name__ == "__main__":
    main()
