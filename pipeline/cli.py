"""Command line: `python -m pipeline run|models`."""

import argparse
import datetime
import sys
import time
from typing import Optional, Sequence

from pipeline import beam, configs
from pipeline.models import MODELS, get_model
from pipeline.progress import captured_output
from pipeline.summary import format_summary, shown

PATH_ROWS = (
    ("--output-dir", configs.OUTPUT_DIR_ENV, str(configs.DEFAULT_OUTPUT_DIR)),
    ("--pipeline-root", configs.PIPELINE_ROOT_ENV, "OUTPUT_DIR/pipelines/PIPELINE_NAME"),
    ("--metadata-path", configs.METADATA_PATH_ENV, "OUTPUT_DIR/metadata/PIPELINE_NAME.sqlite"),
    ("--serving-model-dir", configs.SERVING_MODEL_DIR_ENV, "OUTPUT_DIR/serving/MODEL"),
    ("--data-root", configs.DATA_ROOT_ENV, "OUTPUT_DIR/data/MODEL"),
)
PATH_HELP = (
    "paths (flag > environment variable > default):\n"
    + "".join(f"  {flag:<20} {env:<20} {default}\n" for flag, env, default in PATH_ROWS)
    + "logs: OUTPUT_DIR/logs/PIPELINE_NAME-TIMESTAMP.log\n"
)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_run_parser(subparsers) -> None:
    run = subparsers.add_parser(
        "run",
        help="run the full pipeline locally (LocalDagRunner on Beam)",
        description="Run ExampleGen -> ... -> Pusher for one model with LocalDagRunner.",
        epilog=PATH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--model", default=configs.DEFAULT_MODEL, choices=sorted(MODELS))
    run.add_argument("--pipeline-name", help="default: the model name")
    for flag in ("output-dir", "pipeline-root", "metadata-path", "serving-model-dir", "data-root"):
        run.add_argument(f"--{flag}", metavar="DIR" if flag != "metadata-path" else "FILE")
    run.add_argument(
        "--data-source",
        help="where the data comes from (see `python -m pipeline models`; default: the model's first, offline)",
    )
    run.add_argument("--train-steps", type=positive_int, help="default: the model's (penguin: 100)")
    run.add_argument("--full", action="store_true", help="train for the notes' full length (see `models`)")
    run.add_argument("--eval-steps", type=positive_int, help="default: the model's (penguin: 5)")
    run.add_argument(
        "--threshold",
        type=float,
        help="bound the gating metric must meet to bless the model "
        "(a lower bound for accuracy; penguin default: 0.9)",
    )
    run.add_argument(
        "--max-regression",
        type=float,
        default=0.0,
        help="how much worse than the last blessed model the gating metric may be (default 0)",
    )
    run.add_argument("--seed", type=int, default=42, help="training seed (default 42)")
    run.add_argument(
        "--beam-mode",
        choices=beam.DIRECT_RUNNING_MODES,
        default=beam.DEFAULT_RUNNING_MODE,
        help="Beam DirectRunner mode (default in_memory: fastest on small data)",
    )
    run.add_argument("--workers", type=positive_int, default=1, help="DirectRunner workers (multi_* modes)")
    run.add_argument(
        "--beam-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra Beam pipeline argument, repeatable, e.g. --beam-arg=--runner=FlinkRunner",
    )
    run.add_argument("--no-cache", action="store_true", help="re-run every node")


def _run(args: argparse.Namespace) -> int:
    spec = get_model(args.model)
    data_source = args.data_source or spec.default_data_source
    if data_source not in spec.data_sources:
        raise ValueError(f"model {spec.name} has no data source {data_source!r}; choose one of {list(spec.data_sources)}")
    pipeline_name = args.pipeline_name or spec.name
    settings = configs.RunSettings(
        model=spec,
        pipeline_name=pipeline_name,
        paths=configs.resolve_paths(
            spec.name,
            pipeline_name,
            output_dir=args.output_dir,
            pipeline_root=args.pipeline_root,
            metadata_path=args.metadata_path,
            serving_model_dir=args.serving_model_dir,
            data_root=args.data_root,
        ),
        train_steps=args.train_steps or (spec.full_train_steps if args.full else 0) or spec.train_steps,
        eval_steps=args.eval_steps or spec.eval_steps,
        threshold=spec.default_threshold if args.threshold is None else args.threshold,
        max_regression=args.max_regression,
        seed=args.seed,
        beam_args=beam.beam_pipeline_args(args.beam_mode, args.workers, args.beam_arg),
        data_source=data_source,
        enable_cache=not args.no_cache,
    )
    started = time.monotonic()
    log_path = settings.log_path(datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    print(f"Pipeline '{pipeline_name}' for model '{spec.name}'; full log: {shown(log_path)}", flush=True)
    # Everything that may import TensorFlow (some data sources, the runner) happens inside
    # the capture, so its import-time chatter goes to the log, not the terminal.
    with captured_output(log_path) as terminal:
        data_description = spec.data_sources[data_source](settings.paths.data_root)
        print(f"Data ({data_source}): {data_description}", file=terminal, flush=True)
        from pipeline.runner import run_local

        outcome = run_local(settings, terminal, log_path)
    outcome.seconds = time.monotonic() - started
    print(format_summary(outcome))
    return 0 if outcome.succeeded else 1


def _models(args: argparse.Namespace) -> int:
    del args
    width = max(len(name) for name in MODELS) + 2
    for spec in MODELS.values():
        full = f", --full: {spec.full_train_steps}" if spec.full_train_steps else ""
        print(f"{spec.name:<{width}}{spec.task}")
        print(f"{'':<{width}}data sources: {', '.join(spec.data_sources)} (default {spec.default_data_source})")
        print(f"{'':<{width}}train steps: {spec.train_steps}{full}; eval steps: {spec.eval_steps}; "
              f"blessed at {spec.summary_metrics[0].label} bound {spec.default_threshold}")
        print(f"{'':<{width}}notes: {spec.notes_result}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_run_parser(subparsers)
    subparsers.add_parser("models", help="list the models a pipeline can be run for")
    args = parser.parse_args(argv)
    commands = {"run": _run, "models": _models}
    try:
        return commands[args.command](args)
    except (ValueError, FileNotFoundError) as error:  # bad input: data errors, unknown settings
        print(f"error: {error}", file=sys.stderr)
        return 2
