"""Bad data never reaches serving: a table of bad inputs through the real CLI, for a CSV model
(penguin) and a TFRecord model (mnist_mlp).

Each model first trains and pushes span 1 of its `data --source spans` series; every case
then runs on one changed copy of span 2 against that store and serving directory. Input
no component can read is refused before the pipeline starts (exit 2, one line naming the
file); readable but bad data is stopped by the data gate before Transform (exit 1, each
finding listed). Either way no version is pushed, the served files stay byte for byte,
and the store stays readable with the run recorded. Gated cases cost only ExampleGen,
StatisticsGen and validation; kinds that touch different features share one span (and one
run), each still asserting its own findings, so the table stays within CI's budget.
"""

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Set, Tuple

import pytest
import tensorflow as tf
from tfx.orchestration import metadata

from data.inputs import read_tfrecords, tfrecord_bytes
from inspection import mlmd
from tests.pipeline_runs import PROJECT_ROOT, RUN_TIMEOUT_S

pytestmark = pytest.mark.slow

REFUSED, GATED = 2, 1
TRAIN_STEPS = "30"
Rows = List[Dict[str, str]]


@dataclass(frozen=True)
class Refusal:
    """Input no component can read: how to make it from the good span file, and the regex
    the one error line must match."""

    name: str
    make: Callable[[Path, Path], None]  # (good span file, case directory)
    expect: str


@dataclass(frozen=True)
class Bad:
    """Readable but bad data: a change to good data, and the (feature, kind) findings it must raise."""

    name: str
    change: Callable  # CSV: (header, rows) -> (header, rows); TFRecord: (tf.train.Example) -> None
    expect: Set[Tuple[str, str]]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=RUN_TIMEOUT_S,
    )


def tree_digest(root: Path) -> Dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def runs_json(output_dir: Path, pipeline: str) -> List[dict]:
    """What `inspect runs --json` prints, read in this process (a CLI call costs seconds a case;
    the last test reads the store through the CLI)."""
    config = metadata.sqlite_metadata_connection_config(str(output_dir / "metadata" / f"{pipeline}.sqlite"))
    return [run.to_json() for run in mlmd.StoreView(mlmd.open_store(config), pipeline).runs()]


# -- penguin (CSV) --------------------------------------------------------------


def read_rows(path: Path) -> Tuple[List[str], Rows]:
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(directory: Path, header: List[str], rows: Rows, name: str = "data.csv") -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(out.getvalue())


RowsChange = Callable[[List[str], Rows], Tuple[List[str], Rows]]


def rows_changed(*changes: RowsChange) -> Callable[[Path, Path], None]:
    """Writes the good span file with `changes` applied in turn."""

    def make(good: Path, directory: Path) -> None:
        header, rows = read_rows(good)
        rows = [dict(row) for row in rows]
        for change in changes:
            header, rows = change(header, rows)
        write_rows(directory, header, rows)

    return make


def each_row(update: Callable[[Dict[str, str]], None]) -> RowsChange:
    def change(header: List[str], rows: Rows) -> Tuple[List[str], Rows]:
        for row in rows:
            update(row)
        return header, rows

    return change


def raw_bytes(content: Callable[[bytes], bytes]) -> Callable[[Path, Path], None]:
    def make(good: Path, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / good.name).write_bytes(content(good.read_bytes()))

    return make


def scaled(column: str, factor: float) -> Callable[[Dict[str, str]], None]:
    def update(row: Dict[str, str]) -> None:
        if row[column]:
            row[column] = repr(float(row[column]) * factor)

    return update


PENGUIN_REFUSALS = [
    Refusal("empty file", raw_bytes(lambda _: b""), r"data\.csv: empty file"),
    Refusal("header only", raw_bytes(lambda c: c.split(b"\n", 1)[0] + b"\n"), r"data\.csv: a header but no data rows"),
    Refusal(
        "a numeric column missing",
        rows_changed(lambda h, rows: ([c for c in h if c != "body_mass_g"], rows)),
        r"data\.csv:1: header lacks the schema's column\(s\) body_mass_g",
    ),
    Refusal(
        "a renamed column",
        rows_changed(lambda h, rows: (
            ["bill_length_mm" if c == "culmen_length_mm" else c for c in h],
            [{**r, "bill_length_mm": r["culmen_length_mm"]} for r in rows],
        )),
        r"header lacks the schema's column\(s\) culmen_length_mm",
    ),
    Refusal("bytes that are not UTF-8", raw_bytes(lambda c: c.replace(b"Dream", b"Dr\xe9am", 1)),
            r"data\.csv:\d+: bytes that are not UTF-8"),
    Refusal("binary garbage", raw_bytes(lambda c: bytes(range(256)) * 8), r"data\.csv: binary data"),
    Refusal("a truncated last row", raw_bytes(lambda c: c[: c.rstrip(b"\n").rfind(b",") - 3]),
            r"data\.csv:\d+: \d field\(s\) where the header has 8 \(the last row: truncated\?\)"),
]
# Each inner list is one span: its kinds touch different features, so their findings do not mix.
PENGUIN_GATED = [
    [
        Bad("unit drift (grams as milligrams, x1000)", each_row(scaled("body_mass_g", 1000.0)),
            {("body_mass_g", "RANGE"), ("body_mass_g", "DRIFT")}),
        Bad("scale drift (+40% flipper length)", each_row(scaled("flipper_length_mm", 1.4)),
            {("flipper_length_mm", "RANGE")}),
        Bad("wrong type (text in a numeric column)",
            each_row(lambda r: r.update(culmen_depth_mm="deep" if r["island"] == "Dream" else r["culmen_depth_mm"])),
            {("culmen_depth_mm", "TYPE")}),
        Bad("an unseen category", each_row(lambda r: r.update(island="Anvers" if r["island"] == "Dream" else r["island"])),
            {("island", "DOMAIN")}),
        Bad("an all-empty feature", each_row(lambda r: r.update(sex="")), {("sex", "MISSING")}),
    ],
    [
        Bad("an unseen label", each_row(lambda r: r.update(species="Emperor" if r["species"] == "Gentoo" else r["species"])),
            {("species", "DOMAIN")}),
        Bad("a feature gone constant", each_row(lambda r: r.update(culmen_length_mm="45.0")),
            {("culmen_length_mm", "DRIFT")}),
    ],
    [
        Bad("missing labels", each_row(lambda r: r.update(species="" if r["island"] == "Biscoe" else r["species"])),
            {("species", "MISSING")}),
        Bad("columns shuffled under their header",
            lambda h, rows: (h, [{**r, "island": r["sex"], "sex": r["island"]} for r in rows]),
            {("island", "DOMAIN"), ("sex", "DOMAIN")}),
    ],
    [
        Bad("a class gone missing", lambda h, rows: (h, [r for r in rows if r["species"] != "Gentoo"]), {("species", "DRIFT")}),
        Bad("duplicated rows", lambda h, rows: (h, rows * 3), {("dataset", "DUPLICATES")}),
    ],
    [Bad("a span far smaller than the last", lambda h, rows: (h, rows[:40]), {("dataset", "SIZE")})],
]


# -- mnist_mlp (TFRecord) -------------------------------------------------------

IMAGE, LABEL = "image_floats", "image_class"


def examples_changed(*changes: Callable[[tf.train.Example], None]) -> Callable[[Path, Path], None]:
    """Writes the good span file with `changes` applied to every example in turn."""

    def make(good: Path, directory: Path) -> None:
        records = []
        for record in read_tfrecords(good):
            example = tf.train.Example.FromString(record)
            for change in changes:
                change(example)
            records.append(example.SerializeToString())
        directory.mkdir(parents=True, exist_ok=True)
        (directory / good.name).write_bytes(tfrecord_bytes(records))

    return make


def set_floats(example: tf.train.Example, key: str, values) -> None:
    example.features.feature[key].ClearField("float_list")
    example.features.feature[key].float_list.value.extend(values)


def set_label(example: tf.train.Example, old: int, new: int) -> None:
    values = example.features.feature[LABEL].int64_list.value
    if values and values[0] == old:
        values[0] = new


MNIST_REFUSALS = [
    Refusal("not a TFRecord file", raw_bytes(lambda _: b"image,label\n0.1,3\n" * 50), r"data\.tfrecord: not a TFRecord file"),
    Refusal("a truncated TFRecord", raw_bytes(lambda c: c[: len(c) - 1000]),
            r"data\.tfrecord: record \d+: the file ends inside the record"),
    Refusal("an empty TFRecord file", raw_bytes(lambda _: b""), r"data\.tfrecord: empty file"),
]
MNIST_GATED = [
    [
        Bad("pixels in 0..255 instead of -0.5..0.5",
            lambda e: set_floats(e, IMAGE, [(v + 0.5) * 255 for v in e.features.feature[IMAGE].float_list.value]),
            {(IMAGE, "RANGE")}),
        Bad("labels as floats (wrong type)",
            lambda e: set_floats(e, LABEL, [float(e.features.feature[LABEL].int64_list.value[0])]), {(LABEL, "TYPE")}),
    ],
    [
        Bad("images of the wrong size", lambda e: set_floats(e, IMAGE, list(e.features.feature[IMAGE].float_list.value)[:392]),
            {(IMAGE, "SHAPE")}),
        Bad("an unseen label (10)", lambda e: set_label(e, 7, 10), {(LABEL, "RANGE")}),
    ],
    [Bad("missing labels", lambda e: e.features.feature[LABEL].ClearField("int64_list"), {(LABEL, "MISSING")})],
]


def group_id(group: List[Bad]) -> str:
    return " + ".join(bad.name for bad in group)


# -- the runs -------------------------------------------------------------------


@dataclass
class Served:
    """A model's store and serving directory after its good span 1 was pushed."""

    model: str
    output_dir: Path
    spans: Path
    good_file: Path
    serving: Path
    digest: Dict[str, str]
    version: str


def serve_span_one(tmp_path_factory, model: str, file_name: str) -> Served:
    root = tmp_path_factory.mktemp(model)
    spans = root / "spans"
    written = cli("data", "--model", model, "--source", "spans", "--out", str(spans))
    assert written.returncode == 0, written.stdout + written.stderr
    output_dir = root / "out"
    first = cli("run", "--model", model, "--output-dir", str(output_dir), "--data", str(spans), "--span", "1",
                "--train-steps", TRAIN_STEPS, "--threshold", "0.5")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Span: 1" in first.stdout and "Data gate: passed" in first.stdout
    serving = output_dir / "serving" / model
    (version,) = [p.name for p in serving.iterdir()]
    return Served(model, output_dir, spans, spans / "span-2" / file_name, serving, tree_digest(serving), version)


@pytest.fixture(scope="module")
def penguin(tmp_path_factory) -> Served:
    return serve_span_one(tmp_path_factory, "penguin", "data.csv")


@pytest.fixture(scope="module")
def mnist(tmp_path_factory) -> Served:
    return serve_span_one(tmp_path_factory, "mnist_mlp", "data.tfrecord")


def run_on(served: Served, data: Path) -> Tuple[subprocess.CompletedProcess, List[dict]]:
    """`run` on `data` into the served model's store; its result and the runs recorded before."""
    runs_before = runs_json(served.output_dir, served.model)
    completed = cli("run", "--model", served.model, "--output-dir", str(served.output_dir), "--data", str(data),
                    "--train-steps", TRAIN_STEPS, "--threshold", "0.5")
    assert "Traceback" not in completed.stdout + completed.stderr
    assert tree_digest(served.serving) == served.digest, "the served files changed"
    return completed, runs_before


def check_refused(served: Served, refusal: Refusal, tmp_path: Path) -> None:
    data = tmp_path / "data"
    refusal.make(served.good_file, data)
    completed, runs_before = run_on(served, data)
    assert completed.returncode == REFUSED, completed.stdout + completed.stderr
    (line,) = completed.stderr.strip().splitlines()
    assert line.startswith(f"error: {data}") and re.search(refusal.expect, line), line
    assert len(runs_json(served.output_dir, served.model)) == len(runs_before)


def check_gated(served: Served, group: List[Bad], make: Callable[..., Callable[[Path, Path], None]], tmp_path: Path) -> None:
    data = tmp_path / "data"
    make(*[bad.change for bad in group])(served.good_file, data)
    completed, runs_before = run_on(served, data)
    assert completed.returncode == GATED, completed.stdout + completed.stderr
    assert "STOPPED by the data gate" in completed.stdout and "Pushed: nothing" in completed.stdout
    assert f"Serving: {served.serving / served.version}" in completed.stdout
    found = set(re.findall(r"^    \S+\s+(\S+)\s+([A-Z_]+)\s", completed.stdout, re.MULTILINE))
    for bad in group:
        assert bad.expect <= found, f"{bad.name}: {bad.expect - found} not in\n{completed.stdout}"
    runs = runs_json(served.output_dir, served.model)
    assert len(runs) == len(runs_before) + 1 and runs[-1]["state"] == "STOPPED" and runs[-1]["gate"] == "stopped"
    nodes = {node["node"]: node["state"] for node in runs[-1]["nodes"]}
    assert nodes["DataValidator"] in ("COMPLETE", "CACHED") and nodes["DataGate"] == "FAILED"
    assert not {"Transform", "Trainer", "Evaluator", "Pusher"} & set(nodes)


@pytest.mark.parametrize("refusal", PENGUIN_REFUSALS, ids=[r.name for r in PENGUIN_REFUSALS])
def test_unreadable_penguin_data_is_refused(penguin, refusal, tmp_path):
    check_refused(penguin, refusal, tmp_path)


@pytest.mark.parametrize("group", PENGUIN_GATED, ids=[group_id(g) for g in PENGUIN_GATED])
def test_bad_penguin_data_is_stopped_by_the_gate(penguin, group, tmp_path):
    check_gated(penguin, group, rows_changed, tmp_path)


@pytest.mark.parametrize("refusal", MNIST_REFUSALS, ids=[r.name for r in MNIST_REFUSALS])
def test_unreadable_mnist_data_is_refused(mnist, refusal, tmp_path):
    check_refused(mnist, refusal, tmp_path)


@pytest.mark.parametrize("group", MNIST_GATED, ids=[group_id(g) for g in MNIST_GATED])
def test_bad_mnist_data_is_stopped_by_the_gate(mnist, group, tmp_path):
    check_gated(mnist, group, examples_changed, tmp_path)


def test_a_fresh_good_span_with_its_columns_reordered_passes_and_pushes(penguin, tmp_path):
    header, rows = read_rows(penguin.good_file)
    write_rows(tmp_path / "data" / "span-2", list(reversed(header)), rows)
    completed = cli("run", "--model", "penguin", "--output-dir", str(penguin.output_dir), "--data",
                    str(tmp_path / "data"), "--train-steps", TRAIN_STEPS, "--threshold", "0.5",
                    "--max-regression", "1")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Span: 2" in completed.stdout
    assert "Data gate: passed; compared with the served model's training data" in completed.stdout
    assert "Blessed: yes" in completed.stdout
    versions = sorted(p.name for p in penguin.serving.iterdir())
    assert len(versions) == 2 and versions[0] == penguin.version
    penguin.digest, penguin.version = tree_digest(penguin.serving), versions[-1]


def test_the_drifted_span_is_stopped_until_a_person_accepts_its_findings(penguin):
    stopped = cli("run", "--model", "penguin", "--output-dir", str(penguin.output_dir), "--data",
                  str(penguin.spans), "--train-steps", TRAIN_STEPS, "--threshold", "0.5")
    assert stopped.returncode == GATED, stopped.stdout + stopped.stderr
    assert "Span: 3" in stopped.stdout and re.search(r"train\s+species\s+DRIFT", stopped.stdout)
    drifted = sorted(set(re.findall(r"^    train\s+(\S+)\s+DRIFT\s", stopped.stdout, re.MULTILINE)))
    accept = [arg for feature in drifted for arg in ("--accept-anomaly", f"{feature}:drift")]
    accepted = cli("run", "--model", "penguin", "--output-dir", str(penguin.output_dir), "--data",
                   str(penguin.spans), "--train-steps", TRAIN_STEPS, "--threshold", "0.5", *accept)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Data gate: passed" in accepted.stdout and "DRIFT (accepted)" in accepted.stdout
    artifacts = json.loads(cli("inspect", "artifacts", "--json", "--type", "ExampleAnomalies", "--output-dir",
                               str(penguin.output_dir), "--pipeline-name", "penguin").stdout)["artifacts"]
    assert artifacts[-1]["properties"]["gate"] == "passed"
    assert artifacts[-1]["properties"]["accepted"] == ",".join(sorted(f"{f}:DRIFT" for f in drifted))
    printed = cli("inspect", "runs", "--output-dir", str(penguin.output_dir), "--pipeline-name", "penguin")
    headers = [line for line in printed.stdout.splitlines() if line.startswith("run ")]
    assert "STOPPED  span 3  data gate stopped" in headers[-2] and "COMPLETE  span 3  data gate passed" in headers[-1]
