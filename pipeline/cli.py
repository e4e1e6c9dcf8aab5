"""Command line: `python -m pipeline run|compile|data|schema|models|inspect|report`."""

import argparse
import dataclasses
import datetime
import logging
import os
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence, TextIO, Tuple

from ml_metadata.metadata_store import metadata_store

from data import inputs
from inspection import cli as inspection_cli
from inspection import mlmd
from inspection.text import shown
from pipeline import beam, configs, orchestrators, schema_cli, schemas, settled
from pipeline.metadata_backend import MYSQL_PASSWORD_ENV, MYSQL_USER_ENV, MysqlAddress
from pipeline.models import MODELS, get_model
from pipeline.progress import captured_output
from pipeline.run_lock import run_lock
from pipeline.summary import format_summary, format_unchanged, settled_summary

PATH_ROWS = (
    ("--output-dir", configs.OUTPUT_DIR_ENV, str(configs.DEFAULT_OUTPUT_DIR)),
    ("--pipeline-root", configs.PIPELINE_ROOT_ENV, "OUTPUT_DIR/pipelines/PIPELINE_NAME"),
    ("--metadata-path", configs.METADATA_PATH_ENV, "OUTPUT_DIR/metadata/PIPELINE_NAME.sqlite"),
    ("--serving-model-dir", configs.SERVING_MODEL_DIR_ENV, "OUTPUT_DIR/serving/MODEL"),
    ("--serving-tflite-dir", configs.SERVING_TFLITE_DIR_ENV, "OUTPUT_DIR/serving_tflite/MODEL"),
    ("--data-root", configs.DATA_ROOT_ENV, "OUTPUT_DIR/data/MODEL (where a built-in source writes)"),
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


def span_number(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def acceptance(text: str) -> str:
    feature, _, kind = text.partition(":")
    if not feature or not kind:
        raise argparse.ArgumentTypeError(f"expected FEATURE:KIND (e.g. body_mass_g:DRIFT), got {text!r}")
    return f"{feature}:{kind.upper()}"


def mysql_address(text: str) -> MysqlAddress:
    try:
        return MysqlAddress.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_settings_arguments(run: argparse.ArgumentParser) -> None:
    """What `run` and `compile` share: one pipeline definition, whichever runner gets it."""
    run.add_argument("--model", default=configs.DEFAULT_MODEL, choices=sorted(MODELS))
    run.add_argument("--pipeline-name", help="default: the model name")
    run.add_argument(
        "--data",
        metavar="DIR",
        help="your own data, read as it is: CSV files (CSV models) or TFRecord files of tf.Examples, "
        "directly in DIR or in DIR/span-N/ directories (default: write the model's built-in source "
        "into the data root)",
    )
    run.add_argument("--span", type=span_number, metavar="N", help="read DIR/span-N/ (default: the highest N)")
    for flag in ("output-dir", "pipeline-root", "metadata-path", "serving-model-dir", "serving-tflite-dir", "data-root"):
        run.add_argument(f"--{flag}", metavar="DIR" if flag != "metadata-path" else "FILE")
    run.add_argument(
        "--metadata-mysql",
        type=mysql_address,
        metavar="HOST:PORT/DB",
        help=f"keep ML Metadata in this MySQL/MariaDB database instead of --metadata-path "
        f"(user ${MYSQL_USER_ENV}, password ${MYSQL_PASSWORD_ENV})",
    )
    run.add_argument("--train-steps", type=positive_int, help="default: the model's (penguin: 100)")
    run.add_argument(
        "--full",
        action="store_true",
        help="the notes' setting: their training length, and their network size where the default is smaller",
    )
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
        "--beam-runner",
        choices=tuple(beam.RUNNERS),
        default=beam.DEFAULT_RUNNER,
        help="Beam runner (default direct); flink, spark and dataflow need their options "
        "as --beam-arg (see docs/orchestrators.md)",
    )
    run.add_argument(
        "--beam-mode",
        choices=(beam.AUTO, *beam.DIRECT_RUNNING_MODES),
        default=beam.AUTO,
        help=f"Beam DirectRunner mode (default auto: in_memory under {beam.MULTI_PROCESSING_FROM_ROWS:,} input "
        "rows, multi_processing from there on; see docs/speed.md)",
    )
    run.add_argument(
        "--workers", type=positive_int, help="DirectRunner workers (multi_* modes; default 1, auto: one per CPU)"
    )
    run.add_argument(
        "--beam-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra Beam pipeline argument, repeatable, e.g. --beam-arg=--flink_master=host:8081",
    )
    run.add_argument("--no-cache", action="store_true", help="re-run every node")


def _add_settings_parser(subparsers, name: str, help_text: str, description: str) -> argparse.ArgumentParser:
    """A subcommand that takes the run settings, with how paths resolve under its options."""
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=description,
        epilog=PATH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_settings_arguments(parser)
    return parser


def _add_run_parser(subparsers) -> None:
    run = _add_settings_parser(
        subparsers,
        "run",
        "run the full pipeline locally (LocalDagRunner on Beam)",
        "Run ExampleGen -> ... -> Pusher for one model with LocalDagRunner.",
    )
    run.add_argument(
        "--data-source",
        help="the built-in source to write when there is no --data (see `python -m pipeline models`; "
        "default: the model's first, offline)",
    )
    run.add_argument(
        "--accept-anomaly",
        type=acceptance,
        action="append",
        default=[],
        metavar="FEATURE:KIND",
        help="let the data gate pass this finding for this run (e.g. body_mass_g:DRIFT; KIND as the "
        "gate's summary names it, or TFDV's reason); repeatable, recorded in ML Metadata",
    )


def _add_compile_parser(subparsers) -> None:
    compile_ = _add_settings_parser(
        subparsers,
        "compile",
        "write the pipeline for Kubeflow Pipelines (v2 JSON) or Airflow (a DAG file)",
        "Compile the pipeline `run` runs, with the same settings, for another orchestrator.",
    )
    compile_.add_argument(
        "--spans",
        action="store_true",
        help="the data root holds span-N/ directories; each run reads the highest (detected when --data exists here)",
    )
    compile_.add_argument("--target", required=True, choices=orchestrators.TARGETS)
    compile_.add_argument("--output", required=True, metavar="FILE", help="the spec (.json) or DAG file (.py) to write")
    compile_.add_argument(
        "--image",
        help=f"kubeflow: the pipeline image built from the Dockerfile (default ${orchestrators.IMAGE_ENV}; required)",
    )
    compile_.add_argument(
        "--project-root",
        metavar="DIR",
        default=str(orchestrators.PROJECT_ROOT),
        help="airflow: where the Airflow machine finds this project (default: this checkout)",
    )


def _settings(
    args: argparse.Namespace, data_source: Optional[str] = None, default_pipeline_name: Optional[str] = None
) -> configs.RunSettings:
    """The run settings from the command line, after flags and environment are resolved."""
    spec = get_model(args.model)
    if args.data and (data_source or args.data_root):
        raise ValueError("--data reads your files as they are; it takes neither --data-source nor --data-root")
    if args.data is None:
        data_source = data_source or spec.default_data_source
        if data_source not in spec.data_sources:
            raise ValueError(f"model {spec.name} has no data source {data_source!r}; choose one of {list(spec.data_sources)}")
        if args.span is not None:
            raise ValueError("--span picks a span of your data: it needs --data DIR")
    pipeline_name = args.pipeline_name or default_pipeline_name or spec.name
    return configs.RunSettings(
        model=spec,
        pipeline_name=pipeline_name,
        paths=configs.resolve_paths(
            spec.name,
            pipeline_name,
            output_dir=args.output_dir,
            pipeline_root=args.pipeline_root,
            metadata_path=args.metadata_path,
            serving_model_dir=args.serving_model_dir,
            data_root=args.data or args.data_root,
            serving_tflite_dir=args.serving_tflite_dir,
        ),
        train_steps=args.train_steps or (spec.full_train_steps if args.full else 0) or spec.train_steps,
        eval_steps=args.eval_steps or spec.eval_steps,
        threshold=spec.default_threshold if args.threshold is None else args.threshold,
        max_regression=args.max_regression,
        seed=args.seed,
        beam_args=_beam_args(args, _mode_choice(args, rows=None)),
        data_source=data_source if args.data is None else None,
        enable_cache=not args.no_cache,
        metadata_mysql=args.metadata_mysql,
        span=args.span,
        accepted_anomalies=tuple(getattr(args, "accept_anomaly", ())),
        full_size=args.full,
    )


def _mode_choice(args: argparse.Namespace, rows: Optional[int]) -> beam.ModeChoice:
    """The DirectRunner mode; `auto` picks it by `rows` (unknown, or another runner: in_memory,
    which the other runners' presets take as "not set")."""
    direct_rows = rows if args.beam_runner == beam.DIRECT else None
    return beam.choose_mode(args.beam_mode, args.workers, direct_rows, os.cpu_count())


def _beam_args(args: argparse.Namespace, choice: beam.ModeChoice) -> List[str]:
    return beam.beam_pipeline_args(choice.mode, choice.workers, args.beam_arg, args.beam_runner)


def _read_user_data(settings: configs.RunSettings) -> tuple[configs.RunSettings, inputs.ReadInput]:
    """Finds the span `--data` names and reads every file of it once (see `data.inputs`):
    the settings with the span layout, and what was read."""
    spec = settings.model
    data = inputs.find_input(settings.paths.data_root, settings.span)
    columns = schemas.feature_names(schemas.load(spec.schema_file)) if spec.schema_file.exists() else []
    read = inputs.check_readable(data, spec.example_format, columns)
    return dataclasses.replace(settings, spans=data.spans), read


def _run(args: argparse.Namespace) -> int:
    settings = _settings(args, args.data_source)
    spec, pipeline_name, data_source = settings.model, settings.pipeline_name, settings.data_source
    settings.metadata_config()  # refuses missing MySQL credentials before anything runs
    started = time.monotonic()
    log_path = settings.log_path(datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    print(f"Pipeline '{pipeline_name}' for model '{spec.name}'; full log: {shown(log_path)}", flush=True)
    # Everything that may import TensorFlow (some data sources, the runner) happens inside
    # the capture, so its import-time chatter goes to the log, not the terminal.
    # The run lock is taken before the data is written: a second run waits for the first.
    with captured_output(log_path) as terminal, run_lock(
        settings.paths.metadata_path, settings.metadata_mysql, pipeline_name, terminal
    ):
        try:
            rows: Optional[int] = None
            if data_source is None:
                settings, (data_description, rows) = _read_user_data(settings)
            else:
                data_description = spec.data_sources[data_source](settings.paths.data_root)
                if args.beam_mode == beam.AUTO:  # only auto needs the count
                    rows = inputs.count_examples(inputs.find_input(settings.paths.data_root), spec.example_format)
        except ValueError:
            logging.exception("the input was refused")  # the traceback stays in the log
            raise
        print(f"Data ({data_source or 'your files'}): {data_description}", file=terminal, flush=True)
        if args.beam_runner == beam.DIRECT:
            choice = _mode_choice(args, rows)
            settings = dataclasses.replace(settings, beam_args=_beam_args(args, choice))
            print(f"Beam: {choice.describe()}", file=terminal, flush=True)
        summary, returncode = _run_unless_unchanged(settings, terminal, log_path, started)
    print(summary)
    return returncode


def _run_unless_unchanged(
    settings: configs.RunSettings, terminal: TextIO, log_path: Path, started: float
) -> Tuple[str, int]:
    """Runs the pipeline, unless the last settled run had this run's fingerprint and nothing
    ran since (pipeline/settled.py): (the summary to print, the exit code)."""
    current = settled.fingerprint(settings) if settings.enable_cache else None
    store = _existing_store(settings) if current else None
    unchanged = settled.unchanged_since(store, settings.pipeline_name, current) if store else None
    if unchanged:
        return format_unchanged(unchanged.run_id, unchanged.summary), 0
    from pipeline.runner import run_local

    outcome = run_local(settings, terminal, log_path)
    outcome.seconds = time.monotonic() - started
    summary = format_summary(outcome)
    if current and outcome.changed_nothing:
        store = mlmd.open_store(settings.metadata_config())
        kept = settled.SettledRun(current, mlmd.max_execution_id(store), outcome.run_id or "", settled_summary(summary))
        settled.record(store, settings.pipeline_name, kept)
    return summary, 0 if outcome.succeeded else 1


def _existing_store(settings: configs.RunSettings) -> Optional[metadata_store.MetadataStore]:
    """The run's metadata store when it already exists (a MySQL database always does)."""
    if settings.metadata_mysql is None and not settings.paths.metadata_path.exists():
        return None
    return mlmd.open_store(settings.metadata_config())


def _compile(args: argparse.Namespace) -> int:
    kubeflow = args.target == orchestrators.KUBEFLOW
    settings = _settings(args, default_pipeline_name=orchestrators.kubeflow_pipeline_name(args.model) if kubeflow else None)
    root = settings.paths.data_root
    spans = args.spans or args.span is not None or (
        settings.data_source is None and root.is_dir() and inputs.find_input(root).spans
    )
    settings = dataclasses.replace(settings, spans=spans)
    output = Path(args.output).expanduser().resolve()
    if kubeflow:
        image = orchestrators.kubeflow_image(args.image)
    else:
        settings.metadata_config()  # refuses missing MySQL credentials now, not at DAG import
    log_path = settings.paths.log_dir / f"compile-{settings.pipeline_name}-{datetime.datetime.now():%Y%m%d-%H%M%S}.log"
    with captured_output(log_path):
        if kubeflow:
            orchestrators.compile_kubeflow(settings, image, output)
        else:
            orchestrators.compile_airflow(settings, output, Path(args.project_root).resolve())
    print(f"Wrote {shown(output)} ({args.target}, model {settings.model.name}); log: {shown(log_path)}")
    return 0


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
    _add_compile_parser(subparsers)
    subparsers.add_parser("models", help="list the models a pipeline can be run for")
    commands = {
        "run": _run,
        "compile": _compile,
        "models": _models,
        **schema_cli.add_parsers(subparsers, mysql_address),
        **inspection_cli.add_parsers(subparsers, mysql_address),
    }
    args = parser.parse_args(argv)
    try:
        return commands[args.command](args)
    except (ValueError, FileNotFoundError) as error:  # bad input: data errors, unknown settings
        print(f"error: {error}", file=sys.stderr)
        return 2
