"""A series of spans of one model's dataset, to watch continuous training on.

`write_spans` writes `span-1/` and `span-2/`, two random samples of the model's data (as
two days' drops of the same population would be), and `span-3/`, in which the label's
distribution has moved: four fifths of its rows share the most common class (or, for a
numeric label, every row lies above the median). Run the pipeline on each in turn:
span 1 trains and pushes, span 2 is compared with span 1's model and pushes if it is no
worse, and the data gate stops span 3.
"""

import csv
import io
import random
import shutil
import statistics
from collections import Counter
from pathlib import Path
from typing import Callable, List, Sequence, Tuple

from data.files import write_if_changed, write_tfrecords_if_changed
from data.inputs import SPAN_DIR_PREFIX, read_tfrecords

GOOD_SPANS = 2
SAMPLE_FRACTION = 0.8
DRIFTED_CLASS_SHARE = 0.8
SEED = 7
# Integer labels with at most this many values are classes; more make a numeric label.
MAX_CLASSES = 50


def _csv_rows(directory: Path, label_key: str) -> Tuple[List[str], List[List[str]], List[str]]:
    header: List[str] = []
    rows: List[List[str]] = []
    for path in sorted(directory.iterdir()):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows += [row for row in reader if row]
    column = header.index(label_key)
    return header, rows, [row[column] for row in rows]


def _example_label(record: bytes, label_key: str) -> str:
    import tensorflow as tf  # parsing tf.Examples needs TensorFlow's protos

    feature = tf.train.Example.FromString(record).features.feature[label_key]
    values = getattr(feature, feature.WhichOneof("kind")).value if feature.WhichOneof("kind") else []
    return str(values[0]) if len(values) else ""


def drifted_indices(labels: Sequence[str], size: int, rng: random.Random) -> List[int]:
    """Rows whose labels lean to one side: the top class makes DRIFTED_CLASS_SHARE of them,
    or, for a numeric label with many values, all lie above its median."""
    counts = Counter(labels)
    numeric = len(counts) > MAX_CLASSES and all(_is_number(label) for label in counts)
    if numeric:
        median = statistics.median(float(label) for label in labels)
        chosen = [i for i, label in enumerate(labels) if float(label) > median]
        return sorted(rng.sample(chosen, min(size, len(chosen))))
    top = counts.most_common(1)[0][0]
    in_class = [i for i, label in enumerate(labels) if label == top]
    others = [i for i, label in enumerate(labels) if label != top]
    from_class = min(len(in_class), int(size * DRIFTED_CLASS_SHARE))
    from_others = min(len(others), round(from_class * (1 - DRIFTED_CLASS_SHARE) / DRIFTED_CLASS_SHARE))
    return sorted(rng.sample(in_class, from_class) + rng.sample(others, from_others))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write_csv(path: Path, header: List[str], rows: List[List[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_if_changed(path, out.getvalue().encode())


def write_spans(source: Callable[[Path], str], out: Path, label_key: str, example_format: str) -> List[str]:
    """Writes span-1/, span-2/ (samples) and span-3/ (drifted) from `source`'s data; one line each."""
    staging = out / ".source"
    shutil.rmtree(staging, ignore_errors=True)
    described = source(staging)
    try:
        if example_format == "csv":
            header, items, labels = _csv_rows(staging, label_key)
            file_name = "data.csv"
        else:
            items = [record for path in sorted(staging.iterdir()) for record in read_tfrecords(path)]
            labels = [_example_label(record, label_key) for record in items]
            file_name = "data.tfrecord"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rng = random.Random(SEED)
    size = int(len(items) * SAMPLE_FRACTION)
    picks = [sorted(rng.sample(range(len(items)), size)) for _ in range(GOOD_SPANS)]
    picks.append(drifted_indices(labels, size, rng))
    lines = []
    for number, indices in enumerate(picks, start=1):
        path = out / f"{SPAN_DIR_PREFIX}{number}" / file_name
        chosen = [items[i] for i in indices]
        if example_format == "csv":
            _write_csv(path, header, chosen)  # type: ignore[arg-type]
        else:
            write_tfrecords_if_changed(path, chosen)  # type: ignore[arg-type]
        kind = "drifted: label leans to one side" if number > GOOD_SPANS else "a random sample"
        top = Counter(labels[i] for i in indices).most_common(1)[0]
        lines.append(f"{path.parent.name}: {len(chosen)} rows, {kind} (most common {label_key} {top[0]}: {top[1]})")
    return [f"source: {described}"] + lines
