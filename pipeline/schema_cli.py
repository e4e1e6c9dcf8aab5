"""`python -m pipeline schema freeze` and `python -m pipeline data`: the data a model reads.

`schema freeze --model M` turns the statistics of M's latest run into a starting schema
(`pipeline/schemas.py`) and writes it where the pipeline looks for M's curated schema.
`data --model M --out DIR` writes a data directory from one of M's built-in sources,
or (`--source spans`) a series of spans to watch continuous training on.
"""

import argparse
from pathlib import Path
from typing import Callable, Dict

from data import spans as span_writer
from inspection import cli as inspection_cli
from inspection import mlmd
from inspection.text import shown
from pipeline import schemas
from pipeline.metadata_backend import MysqlAddress
from pipeline.models import MODELS, get_model
from pipeline.progress import captured_output

SPANS_SOURCE = "spans"
STATISTICS_KEY = "statistics"
TRAIN_SPLIT = "train"
PASSED_GATE = "passed"


def _latest_accepted_run(view: mlmd.StoreView) -> mlmd.Run:
    """The latest run whose data the gate let through (a stopped span's data is suspect);
    the latest run at all when none was judged."""
    runs = view.runs()
    if not runs:
        return view.find_run(None)  # raises, naming the store
    passed = [run for run in runs if run.gate == PASSED_GATE]
    return passed[-1] if passed else runs[-1]


def _freeze(args: argparse.Namespace) -> int:
    spec = get_model(args.model)
    args.pipeline_name = args.pipeline_name or spec.name
    target = Path(args.out) if args.out else spec.schema_file
    if target.exists() and not args.force:
        raise ValueError(f"{shown(target)} exists: review and edit it, or pass --force to replace it (or --out FILE)")
    view = inspection_cli.open_view(args)
    run = view.find_run(args.run) if args.run else _latest_accepted_run(view)
    statistics = view.run_output(run, STATISTICS_KEY)
    if statistics is None:
        raise ValueError(f"run {run.id} of {view.description} has no statistics (StatisticsGen did not finish)")
    labels = args.label or (schemas.label_keys(schemas.load(spec.schema_file)) if spec.schema_file.exists() else [])
    with inspection_cli.quiet_tensorflow():
        from components.data_findings import read_split_statistics

        split_statistics = read_split_statistics(statistics.uri)
        if TRAIN_SPLIT not in split_statistics:
            raise ValueError(f"{statistics.uri} holds no {TRAIN_SPLIT} split statistics")
        schema = schemas.freeze(split_statistics[TRAIN_SPLIT], labels)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schemas.schema_text(schema, spec.name, run.name))
    label_text = ", ".join(labels) or "none marked (pass --label KEY)"
    print(f"Wrote {shown(target)}: {len(schema.feature)} features from run {run.id} ({run.name}); labels: {label_text}")
    print("Review it before the next run: widen ranges to what is known, tighten presence and thresholds.")
    return 0


def _data(args: argparse.Namespace) -> int:
    spec = get_model(args.model)
    source_name = args.source or spec.default_data_source
    out = Path(args.out).expanduser().resolve()
    if source_name != SPANS_SOURCE and source_name not in spec.data_sources:
        known = ", ".join([*spec.data_sources, SPANS_SOURCE])
        raise ValueError(f"model {spec.name} has no data source {source_name!r}; choose one of {known}")
    log_path = out.parent / f".{out.name}-data.log"
    with captured_output(log_path) as terminal:
        if source_name == SPANS_SOURCE:
            if not spec.schema_file.exists():
                raise ValueError(f"{spec.name} has no curated schema to name its label ({shown(spec.schema_file)})")
            labels = schemas.label_keys(schemas.load(spec.schema_file))
            if not labels:
                raise ValueError(f"{shown(spec.schema_file)} marks no label (not_in_environment: \"SERVING\")")
            lines = span_writer.write_spans(
                spec.data_sources[spec.default_data_source], out, labels[0], spec.example_format
            )
        else:
            lines = [spec.data_sources[source_name](out)]
        for line in lines:
            print(line, file=terminal)
    log_path.unlink(missing_ok=True)
    print(f"Wrote {shown(out)} (model {spec.name}, source {source_name}); run it with: "
          f"python -m pipeline run --model {spec.name} --data {shown(out)}")
    return 0


def add_parsers(
    subparsers: argparse._SubParsersAction, mysql_address: Callable[[str], MysqlAddress]
) -> Dict[str, Callable[[argparse.Namespace], int]]:
    """Adds `schema` and `data` to the CLI; returns {command: handler} for both."""
    schema = subparsers.add_parser("schema", help="the model's curated schema, which the data gate holds data to")
    commands = schema.add_subparsers(dest="schema_command", required=True)
    freeze = commands.add_parser(
        "freeze",
        help="write the schema inferred from the latest run into the model's package, to review",
        description=__doc__,
        epilog=inspection_cli.STORE_HELP,
    )
    freeze.add_argument("--model", required=True, choices=sorted(MODELS))
    freeze.add_argument("--run", metavar="RUN", help="run id or name (default: the latest whose data passed the gate)")
    freeze.add_argument("--label", action="append", default=[], metavar="KEY",
                        help="the label feature(s) (default: those the current schema marks)")
    freeze.add_argument("--out", metavar="FILE", help="default: modules/MODEL/schema.pbtxt")
    freeze.add_argument("--force", action="store_true", help="replace an existing schema file")
    inspection_cli.add_store_arguments(freeze, mysql_address)
    freeze.set_defaults(pipeline_name=None)
    data = subparsers.add_parser(
        "data",
        help="write a data directory from a built-in source (or a series of spans) for `run --data`",
        description=__doc__,
    )
    data.add_argument("--model", required=True, choices=sorted(MODELS))
    data.add_argument("--out", required=True, metavar="DIR")
    data.add_argument(
        "--source",
        help=f"a source of the model (see `models`), or {SPANS_SOURCE!r}: span-1/ and span-2/ of good data "
        "and span-3/ that drifts, from the model's default source",
    )
    return {"schema": _freeze, "data": _data}
