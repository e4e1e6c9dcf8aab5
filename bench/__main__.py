"""`python -m bench pipeline|models|tflite|serving|scale|chaos` (`make bench`, `make bench-models`,
`make bench-tflite`, `make bench-serving`, `make bench-scale`, `make chaos`): writes bench/results/."""

import argparse
import tempfile
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    commands = parser.add_subparsers(dest="command", required=True)
    speed = commands.add_parser("pipeline", help="cold and cached run times, ours vs upstream's penguin example")
    speed.add_argument(
        "--upstream-modes",
        default="in_memory,multi_processing",
        help="Beam modes to run the upstream example in, comma-separated ('' to skip it)",
    )
    speed.add_argument(
        "--runs", type=int, default=4,
        help="runs of ours: one cold, the rest reruns (the fourth finds nothing changed; upstream runs two)",
    )
    models = commands.add_parser("models", help="every model at its full setting: metric vs the notes, time")
    models.add_argument("--model", action="append", help="only these models (repeatable; default: all)")
    tflite = commands.add_parser("tflite", help="TFLite exports vs their SavedModel: size, eval metric, latency")
    tflite.add_argument("--model", action="append", help="only these models (repeatable; default: six, see bench/tflite.py)")
    tflite.add_argument("--full", action="store_true", help="train each model for the notes' full length first")
    commands.add_parser("serving", help="the local server's latency and throughput vs calling the model in-process")
    scale = commands.add_parser("scale", help="the taxi pipeline on 10k, 100k and 1M trips, per node and Beam mode")
    scale.add_argument("--sizes", default="10000,100000,1000000", help="trip counts, comma-separated")
    scale.add_argument("--modes", default="in_memory,multi_processing", help="DirectRunner modes, comma-separated")
    scale.add_argument("--workers", type=int, default=2, help="workers of the multi_* modes")
    commands.add_parser("chaos", help="kills, two runs at once, full and read-only disks, a server under faults")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        if args.command == "pipeline":
            from bench import pipeline_speed

            measured = pipeline_speed.ours(Path(work), args.runs)
            for mode in filter(None, args.upstream_modes.split(",")):
                measured += pipeline_speed.upstream(Path(work), mode, min(args.runs, 2))
            path = pipeline_speed.write(measured, args.results_dir)
        elif args.command == "serving":
            from bench import serving as serving_bench

            path = serving_bench.write(serving_bench.run(Path(work)), args.results_dir)
        elif args.command == "scale":
            from bench import scale

            sizes = [int(size) for size in args.sizes.split(",")]
            results = scale.run_all(
                Path(work), sizes, args.modes.split(","), args.workers,
                after_each=lambda so_far: scale.write(so_far, args.results_dir),
            )
            path = scale.write(results, args.results_dir)
        elif args.command == "chaos":
            from bench import chaos

            path = chaos.write(chaos.run_all(Path(work)), args.results_dir)
        elif args.command == "tflite":
            from bench import tflite as tflite_bench

            names = args.model or list(tflite_bench.DEFAULT_MODELS)
            path = tflite_bench.write(tflite_bench.run_all(Path(work), names, args.full), args.results_dir)
        else:
            from bench import models as model_bench
            from pipeline.models import MODELS

            path = model_bench.write(model_bench.run_all(Path(work), args.model or list(MODELS)), args.results_dir)
    print(path.read_text())
    print(f"written: {path}")


if __name__ == "__main__":
    main()
