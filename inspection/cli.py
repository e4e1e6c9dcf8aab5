"""`python -m pipeline inspect runs|artifacts|lineage|compare|pushed` and `python -m pipeline report`.

Each subcommand prints plain-text tables, or with `--json` one JSON document whose keys
are documented in docs/inspect.md and stay stable for scripts.
"""

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ml_metadata.proto import metadata_store_pb2

from inspection import lineage_text, mlmd, records
from inspection.text import shown, text_table
from pipeline import configs
from pipeline.metadata_backend import MYSQL_PASSWORD_ENV, MYSQL_USER_ENV, MysqlAddress, connection_config
from pipeline.progress import captured_output

STORE_HELP = (
    "the store: --metadata-path FILE (SQLite), else METADATA_PATH, else "
    "OUTPUT_DIR/metadata/PIPELINE_NAME.sqlite; or --metadata-mysql HOST:PORT/DB"
)
# Digits kept of a metric in tables: enough to see a one-example change on a few hundred rows.
METRIC_DIGITS = 4


def add_store_arguments(parser: argparse.ArgumentParser, mysql_address: Callable[[str], MysqlAddress]) -> None:
    """The flags that name a metadata store, the same way `run` takes them (`mysql_address`:
    the CLI's parser of HOST:PORT/DB)."""
    parser.add_argument("--output-dir", metavar="DIR", help=f"default {configs.DEFAULT_OUTPUT_DIR}/")
    parser.add_argument("--pipeline-name", default=configs.DEFAULT_MODEL, help="default %(default)s")
    parser.add_argument("--metadata-path", metavar="FILE", help="the SQLite ML Metadata file")
    parser.add_argument(
        "--metadata-mysql", type=mysql_address, metavar="HOST:PORT/DB",
        help=f"read this MySQL/MariaDB database instead (user ${MYSQL_USER_ENV}, password ${MYSQL_PASSWORD_ENV})",
    )


def open_view(args: argparse.Namespace) -> mlmd.StoreView:
    """The store the flags name, opened read-only; a missing SQLite file is an error, not a new store."""
    if args.metadata_mysql is not None:
        config = connection_config(Path(), args.metadata_mysql)
        return mlmd.StoreView(mlmd.open_store(config), f"MySQL database {args.metadata_mysql}")
    path = configs.resolve_paths(
        configs.DEFAULT_MODEL, args.pipeline_name, output_dir=args.output_dir, metadata_path=args.metadata_path
    ).metadata_path
    if not path.is_file():
        raise FileNotFoundError(
            f"no ML Metadata store at {shown(path)}: run `python -m pipeline run` first, "
            "or name the store with --metadata-path FILE (or --output-dir, --pipeline-name)"
        )
    config = connection_config(path)
    config.sqlite.connection_mode = metadata_store_pb2.SqliteMetadataSourceConfig.READONLY
    return mlmd.StoreView(mlmd.open_store(config), shown(path))


def seconds_text(seconds: float) -> str:
    return f"{seconds:.1f} s"


def metric_text(value: Optional[float]) -> Optional[str]:
    return None if value is None else f"{value:.{METRIC_DIGITS}f}"


def change_text(before: Optional[float], after: Optional[float]) -> Optional[str]:
    return None if before is None or after is None else f"{after - before:+.{METRIC_DIGITS}f}"


def properties_text(properties: Dict[str, Any]) -> str:
    return " ".join(f"{name}={value}" for name, value in properties.items())


def format_runs(runs: List[records.Run]) -> str:
    lines = []
    for run in runs:
        span = f"  span {run.span}" if run.span is not None else ""
        gate = f"  data gate {run.gate}" if run.gate else ""
        lines.append(
            f"run {run.id}  {run.name}  pipeline {run.pipeline}  {run.state}{span}{gate}  "
            f"started {run.started}, {seconds_text(run.seconds)}"
        )
        rows = [(node.node, node.state, seconds_text(node.seconds), node.execution_id) for node in run.nodes]
        lines += [f"  {row}" for row in text_table(("node", "state", "duration", "execution"), rows)]
        lines.append("")
    return "\n".join(lines).rstrip() or "no runs recorded"


def format_artifacts(infos: List[records.ArtifactInfo]) -> str:
    rows = [
        (info.id, info.type, info.node, info.run_id, properties_text(info.key_properties), shown(info.uri))
        for info in infos
    ]
    return "\n".join(text_table(("id", "type", "node", "run", "properties", "uri"), rows))


def data_text(data: Dict[str, Any]) -> str:
    """`DIR (span 0)`: an ExampleGen input as lineage records it."""
    return f"{shown(data['input_base'])} (span {data['span']})"


def served_text(served: Dict[str, Any]) -> str:
    reused = ", an identical version already served" if served["reused"] else ""
    return f"version {served['version']} at {shown(served['destination'])} (run {served['run_id']}{reused})"


def format_lineage(lineage: records.Lineage, run_ids: Dict[str, int]) -> str:
    info = lineage.artifacts[lineage.artifact_id]
    lines = [f"Lineage of {lineage_text.artifact_label(info)}: {shown(info.uri)}"]
    lines += [
        f"  data: {data_text(data)}, fingerprint {data['input_fingerprint']}" for data in lineage.input_data
    ] or ["  data: no ExampleGen upstream"]
    lines += [f"  served: {served_text(served)}" for served in lineage.served] or ["  served: not pushed"]
    upstream, downstream = lineage_text.lineage_trees(lineage, run_ids)
    lines += ["", "Upstream (made from):"] + [f"  {'  ' * depth}{text}" for depth, text in upstream]
    lines += ["", "Downstream (made into):"] + [f"  {'  ' * depth}{text}" for depth, text in downstream]
    return "\n".join(lines)


def format_comparison(comparison: records.Comparison) -> str:
    first, second = comparison.runs
    lines = text_table(
        ("", f"run {first.id}", f"run {second.id}"),
        [("name", first.name, second.name), ("state", first.state, second.state),
         ("duration", seconds_text(first.seconds), seconds_text(second.seconds)),
         ("blessed", *comparison.blessed)],
    )
    nodes = list(dict.fromkeys([n.node for n in first.nodes] + [n.node for n in second.nodes]))
    state_rows = [
        (node, *[(run.node(node).state if run.node(node) else None) for run in comparison.runs]) for node in nodes
    ]
    lines += ["", "Node states:"] + [f"  {row}" for row in text_table(("node", f"run {first.id}", f"run {second.id}"), state_rows)]
    lines += ["", "Evaluation per slice:"]
    headers = ["slice", "n"]
    rows = []
    for label in comparison.metric_labels:
        headers += [f"{label} run {first.id}", f"run {second.id}", "change"]
    for name, sides in comparison.slices.items():
        counts = "/".join("-" if side is None else str(side[0]) for side in sides)
        row = [name, counts]
        for label in comparison.metric_labels:
            before, after = (side[1].get(label) if side else None for side in sides)
            row += [metric_text(before), metric_text(after), change_text(before, after)]
        rows.append(row)
    lines += [f"  {row}" for row in text_table(headers, rows)] if rows else ["  neither run evaluated a model"]
    for section in ("data", "code", "parameters"):
        changes = [c for c in comparison.changes if c.section == section]
        lines += ["", f"Changed {section}:" if changes else f"Changed {section}: nothing"]
        lines += [f"  {c.node} {c.key}: {c.before} -> {c.after}" for c in changes]
    return "\n".join(lines)


def format_pushed(versions: List[records.PushedVersion]) -> str:
    rows = [
        (
            v.version, v.pusher, v.run_id, "yes" if v.blessed else "NO", "reused" if v.reused else "new",
            f"{v.model_type} {v.model_id}" if v.model_id else None, "yes" if v.on_disk else "MISSING",
            "; ".join(data_text(d) for d in v.input_data),
        )
        for v in versions
    ]
    headers = ("version", "pusher", "run", "blessed", "push", "model", "on disk", "data")
    return "\n".join(text_table(headers, rows)) if rows else "nothing pushed yet"


@contextlib.contextmanager
def quiet_tensorflow() -> Iterator[None]:
    """Keeps TensorFlow's and TFMA's import-time logs (a page on stderr) in a temporary log
    file, which stays and is named only when reading fails."""
    with tempfile.NamedTemporaryFile(prefix="pipeline-inspect-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    try:
        with captured_output(log_path):
            yield
    except Exception:
        print(f"TensorFlow's log: {log_path}", file=sys.stderr)
        raise
    log_path.unlink()


def _emit(args: argparse.Namespace, document: Any, text: Callable[[], str]) -> int:
    print(json.dumps(document, indent=1, default=str) if args.json else text())
    return 0


def _run_ids(view: mlmd.StoreView) -> Dict[str, int]:
    return {context.name: context.id for context in view.run_contexts}


def _runs(args: argparse.Namespace) -> int:
    runs = open_view(args).runs()
    return _emit(args, {"runs": [run.to_json() for run in runs]}, lambda: format_runs(runs))


def _artifacts(args: argparse.Namespace) -> int:
    infos = open_view(args).artifact_infos(args.type)
    return _emit(args, {"artifacts": [info.to_json() for info in infos]}, lambda: format_artifacts(infos))


def _lineage(args: argparse.Namespace) -> int:
    view = open_view(args)
    lineage = view.lineage(args.artifact_id)
    return _emit(args, lineage.to_json(), lambda: format_lineage(lineage, _run_ids(view)))


def _compare(args: argparse.Namespace) -> int:
    view = open_view(args)
    runs = [view.find_run(reference) for reference in args.runs]
    with quiet_tensorflow():
        comparison = view.compare(*runs)
    return _emit(args, comparison.to_json(), lambda: format_comparison(comparison))


def _pushed(args: argparse.Namespace) -> int:
    versions = open_view(args).pushed_versions()
    return _emit(args, {"pushed": [v.to_json() for v in versions]}, lambda: format_pushed(versions))



def report_path(output_dir: Optional[str], run: records.Run) -> Path:
    """OUTPUT_DIR/reports/<pipeline>-run-<id>.html, under the same output directory as `run`'s."""
    output_base = configs.resolve_paths(configs.DEFAULT_MODEL, run.pipeline, output_dir=output_dir).log_dir.parent
    return output_base / "reports" / f"{run.pipeline}-run-{run.id}.html"


def _report(args: argparse.Namespace) -> int:
    view = open_view(args)
    run = view.find_run(args.run)
    with quiet_tensorflow():
        from inspection import report  # imports TensorFlow

        path = Path(args.out) if args.out else report_path(args.output_dir, run)
        report.write_report(view, run, path)
    print(f"Report for run {run.id} ({run.name}, {run.state}): {shown(path)}")
    return 0


SUBCOMMANDS: Tuple[Tuple[str, str, Callable[[argparse.Namespace], int]], ...] = (
    ("runs", "each run with its nodes' states and durations", _runs),
    ("artifacts", "each artifact: type, uri, producing node, run, span/version", _artifacts),
    ("lineage", "what an artifact was made from and made into, to the input data and served version", _lineage),
    ("compare", "two runs' evaluation per slice, and what changed in data, code and parameters", _compare),
    ("pushed", "every pushed version with its blessing and source data", _pushed),
)


def add_parsers(
    subparsers: argparse._SubParsersAction, mysql_address: Callable[[str], MysqlAddress]
) -> Dict[str, Callable[[argparse.Namespace], int]]:
    """Adds `inspect` and `report` to the CLI; returns {command: handler} for both."""
    inspect = subparsers.add_parser(
        "inspect", help="read what ML Metadata recorded: runs, artifacts, lineage, comparisons, pushes",
        description=__doc__, epilog=STORE_HELP,
    )
    commands = inspect.add_subparsers(dest="inspect_command", required=True)
    handlers = {}
    for name, help_text, handler in SUBCOMMANDS:
        command = commands.add_parser(name, help=help_text, description=help_text, epilog=STORE_HELP)
        add_store_arguments(command, mysql_address)
        command.add_argument("--json", action="store_true", help="one JSON document (keys: see docs/inspect.md)")
        handlers[name] = handler
    commands.choices["artifacts"].add_argument("--type", help="only this artifact type, e.g. Model, Examples")
    commands.choices["lineage"].add_argument("artifact_id", type=int, metavar="ARTIFACT_ID")
    commands.choices["compare"].add_argument("runs", nargs=2, metavar="RUN", help="run id or name (see `runs`)")
    report = subparsers.add_parser(
        "report", help="write one self-contained HTML page about a run",
        description="Writes an HTML report of one run (DAG, data statistics, schema, anomalies, "
        "training curves, evaluation, lineage) that renders offline.", epilog=STORE_HELP,
    )
    report.add_argument("run", nargs="?", metavar="RUN", help="run id or name (default: the latest run)")
    report.add_argument("--out", metavar="FILE", help="default OUTPUT_DIR/reports/PIPELINE-run-ID.html")
    add_store_arguments(report, mysql_address)
    return {"inspect": lambda args: handlers[args.inspect_command](args), "report": _report}
