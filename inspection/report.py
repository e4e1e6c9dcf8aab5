"""`python -m pipeline report`: one self-contained HTML page about one run.

The page holds the DAG with node states and durations, the data statistics of the train
and eval splits, the schema, the anomalies, the training curves, the evaluation per slice
against the baseline, and the lineage of the pushed model. Everything is inline (CSS and
SVG, no script, no fetch), so the page renders offline and can be mailed or archived.

TFDV's Facets view (`tfdv.get_statistics_html`) loads its web components from
raw.githubusercontent.com at view time and no installed package ships them, so the
statistics section draws a Facets-Overview-style table from the same
DatasetFeatureStatisticsList protos instead.
"""

import html
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from components.data_findings import Verdict, bounds_text, read_verdict
from inspection import evaluation, lineage_text, mlmd, records, svg
from inspection.text import shown
from modules.common.trainer import HISTORY_FILE_NAME, read_report
from pipeline.schemas import SERVING_ENVIRONMENT

STATISTICS_FILE = "FeatureStats.pb"
SCHEMA_FILE = "schema.pbtxt"
SPLIT_PREFIX = "Split-"
VALIDATION_PREFIX = "val_"
TOP_VALUES_SHOWN = 5
FACETS_NOTE = (
    "A Facets-Overview-style rendering of StatisticsGen's DatasetFeatureStatisticsList: TFDV's "
    "Facets view loads its web components from raw.githubusercontent.com when the page is "
    "viewed, which an offline page cannot do, and no installed package ships them."
)
STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; }
header { background: #263238; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header .meta { color: #cfd8dc; }
section { background: #fff; border: 1px solid #e0e3e7; border-radius: 8px; padding: 14px 20px 18px; margin: 18px 0; }
h2 { font-size: 18px; margin: 4px 0 12px; color: #263238; }
h3 { font-size: 15px; margin: 16px 0 8px; color: #37474f; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eceff1; vertical-align: middle; }
th { background: #f1f3f5; font-weight: 600; font-size: 13px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.first td { border-top: 2px solid #cfd8dc; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.split-train { color: #1f77b4; font-weight: 600; }
.split-eval { color: #ff7f0e; font-weight: 600; }
.better { color: #2e7d32; } .worse { color: #c62828; }
.note { color: #546e7a; font-size: 13px; }
.empty { color: #78909c; font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
.tree { font: 13px/1.6 ui-monospace, "SFMono-Regular", Menlo, monospace; margin: 4px 0; }
.tree div { white-space: pre; }
pre.model-report { font: 13px/1.5 ui-monospace, "SFMono-Regular", Menlo, monospace; white-space: pre-wrap; margin: 4px 0; }
svg text { font-family: system-ui, sans-serif; }
svg.dag text.name { fill: #fff; font-size: 13px; font-weight: 600; }
svg.dag text.state { fill: #e8f5e9; font-size: 12px; }
svg.chart .axis { stroke: #90a4ae; } svg.chart .grid { stroke: #eceff1; }
svg.chart .title { font-size: 13px; font-weight: 600; fill: #37474f; }
svg.chart .tick, svg.chart .label, svg.chart .legend { font-size: 11px; fill: #546e7a; }
svg.bars .bar-label { font-size: 10px; fill: #37474f; }
ul.anomalies li { color: #c62828; }
"""
# The page's section ids, in order (tests/test_inspect_report_e2e.py checks each renders).
SECTIONS = ("dag", "statistics", "schema", "anomalies", "training", "evaluation", "lineage")
SPLIT_COLOURS = {"train": svg.SERIES_COLOURS[0], "eval": svg.SERIES_COLOURS[1]}


def esc(value: Any) -> str:
    return html.escape(str(value))


def badge(state: str, text: Optional[str] = None) -> str:
    """`text` (default: the state) on the state's colour."""
    colour = svg.STATE_COLOURS.get(state, svg.STATE_COLOURS["UNKNOWN"])
    return f'<span class="badge" style="background:{colour}">{esc(text or state)}</span>'


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (), first_rows: Sequence[int] = ()) -> str:
    """A table of already-escaped cells; `numeric` columns align right, `first_rows` start a group."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for index, row in enumerate(rows):
        cells = "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        body.append(f'<tr class="first">{cells}</tr>' if index in first_rows else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{esc(title)}</h2>{body}</section>'


def empty(text: str) -> str:
    return f'<p class="empty">{esc(text)}</p>'


# -- statistics -----------------------------------------------------------------


def read_statistics(statistics_uri: str) -> Dict[str, statistics_pb2.DatasetFeatureStatistics]:
    """StatisticsGen's per-split statistics: {"train": ..., "eval": ...}."""
    found = {}
    paths = Path(statistics_uri).glob(f"{SPLIT_PREFIX}*/{STATISTICS_FILE}")
    for path in sorted(paths, key=lambda p: (p.parent.name != f"{SPLIT_PREFIX}train", p.parent.name)):
        statistics = statistics_pb2.DatasetFeatureStatisticsList.FromString(path.read_bytes())
        found[path.parent.name.removeprefix(SPLIT_PREFIX)] = statistics.datasets[0]
    return found


def feature_name(feature: statistics_pb2.FeatureNameStatistics) -> str:
    return ".".join(feature.path.step) or feature.name


def number(value: float) -> str:
    return f"{value:.4g}"


def percent(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _standard_buckets(numeric: statistics_pb2.NumericStatistics) -> List[Tuple[float, float, float]]:
    for histogram in numeric.histograms:
        if histogram.type == statistics_pb2.Histogram.STANDARD:
            return [(b.low_value, b.high_value, b.sample_count) for b in histogram.buckets]
    return []


def statistics_tables(splits: Dict[str, statistics_pb2.DatasetFeatureStatistics]) -> str:
    """Numeric and categorical features, one row per split, like Facets Overview."""
    by_feature: Dict[str, Dict[str, statistics_pb2.FeatureNameStatistics]] = {}
    for split, dataset in splits.items():
        for feature in dataset.features:
            by_feature.setdefault(feature_name(feature), {})[split] = feature
    numeric_rows: List[List[str]] = []
    numeric_firsts: List[int] = []
    string_rows: List[List[str]] = []
    string_firsts: List[int] = []
    for name in sorted(by_feature):
        per_split = by_feature[name]
        kind = next(iter(per_split.values())).WhichOneof("stats")
        if kind == "num_stats":
            tallest = max(
                (count / max(splits[s].num_examples, 1) for s, f in per_split.items()
                 for _, _, count in _standard_buckets(f.num_stats)), default=1.0,
            )
            numeric_firsts.append(len(numeric_rows))
            numeric_rows += [_numeric_row(name, split, per_split[split], splits[split].num_examples, tallest)
                             for split in splits if split in per_split]
        elif kind == "string_stats":
            string_firsts.append(len(string_rows))
            string_rows += [_string_row(name, split, per_split[split], splits[split].num_examples)
                            for split in splits if split in per_split]
    counts = ", ".join(f'<span class="split-{esc(s)}">{esc(s)}</span> {d.num_examples} examples' for s, d in splits.items())
    return (
        f'<p>{counts}.</p><p class="note">{esc(FACETS_NOTE)}</p>'
        "<h3>Numeric features</h3>"
        + html_table(
            ("feature", "split", "count", "missing", "mean", "std dev", "zeros", "min", "median", "max", "histogram"),
            numeric_rows, numeric=range(2, 10), first_rows=numeric_firsts,
        )
        + "<h3>Categorical features</h3>"
        + html_table(("feature", "split", "count", "missing", "unique", "top values"), string_rows,
                     numeric=range(2, 5), first_rows=string_firsts)
    )


def _numeric_row(name: str, split: str, feature: statistics_pb2.FeatureNameStatistics, examples: int, tallest: float) -> List[str]:
    stats = feature.num_stats
    common = stats.common_stats
    # Heights as fractions of each split's examples, so a smaller eval split is comparable.
    buckets = [(low, high, count / max(examples, 1)) for low, high, count in _standard_buckets(stats)]
    return [
        f"<b>{esc(name)}</b>", f'<span class="split-{esc(split)}">{esc(split)}</span>',
        str(common.num_non_missing), percent(common.num_missing, common.num_missing + common.num_non_missing),
        number(stats.mean), number(stats.std_dev), percent(stats.num_zeros, common.num_non_missing),
        number(stats.min), number(stats.median), number(stats.max),
        svg.histogram(buckets, SPLIT_COLOURS.get(split, svg.SERIES_COLOURS[2]), scale=tallest),
    ]


def _string_row(name: str, split: str, feature: statistics_pb2.FeatureNameStatistics, examples: int) -> List[str]:
    stats = feature.string_stats
    common = stats.common_stats
    top = [(v.value, v.frequency / max(common.num_non_missing, 1)) for v in stats.top_values[:TOP_VALUES_SHOWN]]
    return [
        f"<b>{esc(name)}</b>", f'<span class="split-{esc(split)}">{esc(split)}</span>',
        str(common.num_non_missing), percent(common.num_missing, common.num_missing + common.num_non_missing),
        str(stats.unique), svg.fraction_bars(top, SPLIT_COLOURS.get(split, svg.SERIES_COLOURS[2])),
    ]


# -- schema, anomalies, training, evaluation, lineage ------------------------------


def _domain_text(feature: schema_pb2.Feature, domains: Dict[str, List[str]]) -> str:
    """The feature's categories, or its value range (`[2700, 6300]`, `[0, inf]`)."""
    if feature.domain:
        return ", ".join(domains.get(feature.domain, []))
    for field in ("float_domain", "int_domain"):
        if feature.HasField(field):
            domain = getattr(feature, field)
            categorical = " (categorical)" if field == "int_domain" and domain.is_categorical else ""
            return bounds_text(domain) + categorical
    return "-"


def _comparator_text(comparator: schema_pb2.FeatureComparator) -> str:
    if comparator.HasField("infinity_norm"):
        return f"L-inf {comparator.infinity_norm.threshold:g}"
    if comparator.HasField("jensen_shannon_divergence"):
        return f"JSD {comparator.jensen_shannon_divergence.threshold:g}"
    return "-"


def schema_table(schema_uri: str) -> str:
    """Each feature's type, presence, shape, domain or range, and drift and skew thresholds."""
    schema = text_format.Parse((Path(schema_uri) / SCHEMA_FILE).read_text(), schema_pb2.Schema())
    domains = {domain.name: list(domain.value) for domain in schema.string_domain}
    rows = []
    for feature in schema.feature:
        presence = "required" if feature.presence.min_fraction >= 1 else f"≥ {feature.presence.min_fraction:.0%}"
        shape = "×".join(str(dim.size) for dim in feature.shape.dim) if feature.HasField("shape") else "any"
        label = " (label)" if SERVING_ENVIRONMENT in feature.not_in_environment else ""
        rows.append([f"<b>{esc(feature.name)}</b>{esc(label)}", esc(schema_pb2.FeatureType.Name(feature.type)),
                     esc(presence), esc(shape), esc(_domain_text(feature, domains)),
                     esc(_comparator_text(feature.drift_comparator)), esc(_comparator_text(feature.skew_comparator))])
    return html_table(("feature", "type", "presence", "shape", "domain or range", "drift", "skew"), rows)


def read_anomalies(anomalies_uri: str) -> Dict[str, List[str]]:
    """ExampleValidator's findings per split: ["feature: short description", ...]."""
    from tensorflow_metadata.proto.v0 import anomalies_pb2

    found: Dict[str, List[str]] = {}
    for path in sorted(Path(anomalies_uri).glob("Split-*/SchemaDiff.pb")):
        anomalies = anomalies_pb2.Anomalies.FromString(path.read_bytes())
        messages = [f"{name}: {info.short_description}" for name, info in sorted(anomalies.anomaly_info.items())]
        if anomalies.HasField("dataset_anomaly_info"):
            messages.append(f"dataset: {anomalies.dataset_anomaly_info.short_description}")
        if messages:
            found[path.parent.name.removeprefix("Split-")] = messages
    return found


def anomalies_list(anomalies: Dict[str, List[str]]) -> str:
    """ExampleValidator's findings (runs recorded before the data gate existed)."""
    if not anomalies:
        return '<p class="better">No anomalies: both splits match the schema.</p>'
    items = "".join(f"<li><b>{esc(split)}</b>: {esc(message)}</li>" for split, messages in anomalies.items() for message in messages)
    return f'<ul class="anomalies">{items}</ul>'


def gate_block(verdict: Verdict) -> str:
    """The data gate's decision, each finding (accepted ones marked), and the drift and skew
    measured per feature against their thresholds."""
    decision = badge("COMPLETE", "passed") if not verdict.stopped else badge("FAILED", "STOPPED")
    against = "the data the served model was trained on" if verdict.baseline else "no served model yet (schema and skew only)"
    parts = [f"<p>Span {verdict.span}: {decision} &nbsp;compared with {esc(against)}.</p>"]
    if verdict.findings:
        rows = [
            [esc(f.split), esc(f.feature), esc(f.kind) + (" (accepted)" if f.accepted else ""), esc(f.reason), esc(f.description)]
            for f in verdict.findings
        ]
        parts.append(html_table(("split", "feature", "kind", "TFDV reason", "description"), rows))
    else:
        parts.append('<p class="better">No findings: the span matches the schema, the served model\'s data and itself.</p>')
    if verdict.accepted:
        parts.append(f'<p class="note">Accepted for this run: {esc(", ".join(verdict.accepted))}</p>')
    if verdict.measurements:
        rows = [
            [esc(m["comparison"]), esc(m["split"]), esc(m["feature"]), esc(m["measure"]), f"{m['value']:.4f}",
             f"{m['threshold']:g}", '<span class="worse">over</span>' if m["value"] > m["threshold"] else "ok"]
            for m in verdict.measurements
        ]
        parts.append("<h3>Drift and skew</h3>" + html_table(
            ("comparison", "split", "feature", "measure", "value", "threshold", ""), rows, numeric=(4, 5)
        ))
    duplicates = ", ".join(f"{split} {counts[0]} of {counts[1]}" for split, counts in verdict.duplicates.items())
    if duplicates:
        parts.append(f'<p class="note">Exact duplicate examples: {esc(duplicates)}.</p>')
    return "".join(parts)


def anomalies_block(anomalies_uri: str) -> str:
    verdict = read_verdict(anomalies_uri)
    return gate_block(verdict) if verdict else anomalies_list(mlmd.read_anomalies(anomalies_uri))


def training_charts(model_run_uri: str) -> str:
    """One chart per metric in the Trainer's history.json: training and validation curves."""
    path = Path(model_run_uri) / HISTORY_FILE_NAME
    if not path.exists():
        return empty(f"The Trainer wrote no {HISTORY_FILE_NAME}.")
    history = json.loads(path.read_text())
    steps = history.pop("steps", None) or list(range(1, len(next(iter(history.values()), [])) + 1))
    charts = []
    for metric in [name for name in history if not name.startswith(VALIDATION_PREFIX)]:
        series = {metric: list(zip(steps, history[metric]))}
        if VALIDATION_PREFIX + metric in history:
            series[VALIDATION_PREFIX + metric] = list(zip(steps, history[VALIDATION_PREFIX + metric]))
        charts.append(svg.line_chart(series, metric, "training step"))
    return f'<div class="charts">{"".join(charts)}</div><p class="note">From {esc(shown(path))}.</p>'


def model_report_block(model_run_uri: str) -> str:
    """What the model's own report says (a generated sample, nearest words, baselines), as the
    run summary prints it; "" for a model without one."""
    lines = read_report(model_run_uri)
    if not lines:
        return ""
    return f'<h3>What the model reports</h3><pre class="model-report">{esc(chr(10).join(lines))}</pre>'


def change_cell(value: float, baseline: Optional[float]) -> str:
    if baseline is None:
        return "-"
    difference = value - baseline
    css = "better" if difference > 0 else "worse" if difference < 0 else ""
    return f'<span class="{css}">{difference:+.4f}</span>'


def evaluation_table(evaluation: evaluation.Evaluation) -> str:
    headers = ["slice", "n"]
    for label in evaluation.metric_labels:
        headers += [label, "baseline", "change"]
    rows = []
    for item in evaluation.slices:
        row = [esc(item.slice_name), str(item.example_count)]
        for label in evaluation.metric_labels:
            value, baseline = item.values.get(label, (None, None))
            row += ["-", "-", "-"] if value is None else [
                f"{value:.4f}", "-" if baseline is None else f"{baseline:.4f}", change_cell(value, baseline)
            ]
        rows.append(row)
    blessed = badge("COMPLETE", "BLESSED") if evaluation.blessed else badge("FAILED", "NOT BLESSED")
    failures = "".join(f"<li>{esc(failure)}</li>" for failure in evaluation.failures)
    numeric = range(1, len(headers))
    return f"<p>{blessed}</p>" + html_table(headers, rows, numeric=numeric) + (f'<ul class="anomalies">{failures}</ul>' if failures else "")


def lineage_block(lineage: records.Lineage, run_ids: Dict[str, int]) -> str:
    upstream, downstream = lineage_text.lineage_trees(lineage, run_ids)
    info = lineage.artifacts[lineage.artifact_id]
    facts = [f"<li>Input data <b>{esc(shown(d['input_base']))}</b>: span {esc(d['span'])}, "
             f"fingerprint <code>{esc(d['input_fingerprint'])}</code></li>" for d in lineage.input_data]
    facts += [f"<li>Served as version <b>{esc(s['version'])}</b> at <code>{esc(shown(s['destination']))}</code>"
              f" (run {esc(s['run_id'])}{', identical version reused' if s['reused'] else ''})</li>" for s in lineage.served]

    def tree(lines: List[Tuple[int, str]]) -> str:
        return '<div class="tree">' + "".join(f"<div>{'  ' * depth}{esc(text)}</div>" for depth, text in lines) + "</div>"

    return (
        f"<p>{esc(lineage_text.artifact_label(info))} at <code>{esc(shown(info.uri))}</code></p>"
        f"<ul>{''.join(facts) or '<li>not pushed</li>'}</ul>"
        f"<h3>Upstream (made from)</h3>{tree(upstream)}<h3>Downstream (made into)</h3>{tree(downstream)}"
    )


# -- the page --------------------------------------------------------------------


def build_report(view: mlmd.StoreView, run: records.Run) -> str:
    """The whole page for `run`; a section whose node did not finish says so."""
    outputs = {key: view.run_output(run, key) for key in
               ("statistics", "schema", "anomalies", "model_run", "model", "pushed_model")}
    parts = [section("dag", "Pipeline DAG", svg.dag(
        [(node.node, node.state, node.seconds) for node in run.nodes], view.run_edges(run)
    ) + '<p class="note">Node colour: its state in ML Metadata (green COMPLETE, blue CACHED, red FAILED, '
        "orange RUNNING); arrows: artifacts passed in this run.</p>")]
    statistics = outputs["statistics"]
    parts.append(section("statistics", "Data statistics: train vs eval",
                         statistics_tables(read_statistics(statistics.uri)) if statistics else empty("StatisticsGen did not finish.")))
    parts.append(section("schema", "Schema", schema_table(outputs["schema"].uri) if outputs["schema"] else empty("SchemaGen did not finish.")))
    anomalies = outputs["anomalies"]
    parts.append(section("anomalies", "The data gate",
                         anomalies_block(anomalies.uri) if anomalies else empty("The data validator did not finish.")))
    parts.append(section("training", "Training curves",
                         training_charts(outputs["model_run"].uri) + model_report_block(outputs["model_run"].uri)
                         if outputs["model_run"] else empty("The Trainer did not finish.")))
    evaluation = view.evaluation(run)
    parts.append(section("evaluation", "Evaluation per slice against the baseline",
                         evaluation_table(evaluation) if evaluation else empty("The Evaluator did not finish.")))
    pushed = outputs["pushed_model"]
    subject = pushed if pushed is not None and mlmd.properties_of(pushed).get("pushed") == 1 else outputs["model"]
    run_ids = {context.name: context.id for context in view.run_contexts}
    parts.append(section("lineage", "Lineage of the pushed model" if subject is pushed else "Lineage of the model",
                         lineage_block(view.lineage(subject.id), run_ids) if subject else empty("No model was trained.")))
    title = f"{run.pipeline}: run {run.id}"
    span = f" · span {run.span}" if run.span is not None else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head><body>'
        f"<header><h1>Pipeline {esc(run.pipeline)}, run {run.id} {badge(run.state)}</h1>"
        f'<div class="meta">{esc(run.name)}{esc(span)} · started {esc(run.started)} · {run.seconds:.1f} s · '
        f"metadata {esc(view.description)}</div></header><main>{''.join(parts)}</main></body></html>"
    )


def write_report(view: mlmd.StoreView, run: records.Run, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(view, run), encoding="utf-8")
