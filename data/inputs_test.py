"""Reading a user's data directory: spans, and input no component could read, refused by name."""

import gzip
from pathlib import Path

import pytest

from data import inputs
from data.inputs import InputError

HEADER = "species,island,body_mass_g\n"
COLUMNS = ["species", "island", "body_mass_g"]


def _write(path: Path, content: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_a_flat_directory_is_one_span(tmp_path):
    _write(tmp_path / "a.csv", HEADER + "Adelie,Dream,3750.0\n")
    found = inputs.find_input(tmp_path)
    assert (found.spans, found.span, [p.name for p in found.files]) == (False, None, ["a.csv"])


def test_the_highest_span_is_read_unless_one_is_named(tmp_path):
    for number in (1, 2, 10):
        _write(tmp_path / f"span-{number}" / "data.csv", HEADER)
    assert inputs.find_input(tmp_path).span == 10  # numeric, not lexical, order
    assert inputs.find_input(tmp_path, 2).files == [tmp_path / "span-2" / "data.csv"]
    with pytest.raises(InputError, match=r"no span-3/ \(spans: 1, 2, 10\)"):
        inputs.find_input(tmp_path, 3)


@pytest.mark.parametrize(
    "layout, message",
    [
        ({}, "no data files"),
        ({"span-1/a.csv": HEADER, "b.csv": HEADER}, "holds both span-N/ directories and files"),
        ({"span-1/.hidden": HEADER}, "span-1: no data files"),
    ],
)
def test_directories_that_name_no_data_are_refused(tmp_path, layout, message):
    for name, content in layout.items():
        _write(tmp_path / name, content)
    with pytest.raises(InputError, match=message):
        inputs.find_input(tmp_path)


def test_a_missing_directory_or_a_span_of_a_flat_one_is_refused(tmp_path):
    with pytest.raises(InputError, match="no such data directory"):
        inputs.find_input(tmp_path / "nope")
    _write(tmp_path / "a.csv", HEADER)
    with pytest.raises(InputError, match="--span 2 given"):
        inputs.find_input(tmp_path, 2)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", r"a\.csv: empty file"),
        (b"\n  \n", r"a\.csv: empty file"),
        (HEADER.encode(), r"a\.csv: a header but no data rows"),
        (b"species,island\nAdelie,Dream\n", r"a\.csv:1: header lacks the schema's column\(s\) body_mass_g"),
        (HEADER.encode() + b"Adelie,Dream,3750.0\nAdelie,Dr\xe9am,3800.0\n", r"a\.csv:3: bytes that are not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"a\.csv: binary data"),
        (HEADER.encode() + b"Adelie,Dream,3750.0\nAdelie,Dre", r"a\.csv:3: 2 field\(s\) where the header has 3 \(the last row: truncated\?\)"),
        (HEADER.encode() + b"Adelie,Dream,3750.0,extra\nAdelie,Dream,1.0\n", r"a\.csv:2: 4 field\(s\) where the header has 3: "),
    ],
)
def test_unreadable_csv_is_refused_naming_file_and_line(tmp_path, content, message):
    path = _write(tmp_path / "a.csv", content)
    with pytest.raises(InputError, match=message):
        inputs.check_csv(path, COLUMNS)


def test_csv_files_of_one_span_must_share_a_header_and_gzip_is_read(tmp_path):
    first = _write(tmp_path / "a.csv", HEADER + "Adelie,Dream,3750.0\n")
    second = _write(tmp_path / "b.csv.gz", gzip.compress(b"island,species,body_mass_g\nDream,Adelie,1.0\n"))
    header, rows = inputs.check_csv(first, COLUMNS)
    assert rows == 1
    with pytest.raises(InputError, match=r"b\.csv\.gz:1: header island, species, body_mass_g differs"):
        inputs.check_csv(second, COLUMNS, header)
    data = inputs.find_input(tmp_path)
    with pytest.raises(InputError, match="differs"):
        inputs.check_readable(data, "csv", COLUMNS)


def test_tfrecords_round_trip_and_bad_ones_are_refused(tmp_path):
    records = [b"first", b"", b"x" * 1000]
    good = _write(tmp_path / "good.tfrecord", inputs.tfrecord_bytes(records))
    assert list(inputs.read_tfrecords(good)) == records
    zipped = _write(tmp_path / "good.tfrecord.gz", gzip.compress(inputs.tfrecord_bytes(records)))
    assert inputs.check_tfrecord(zipped) == 3
    content = good.read_bytes()
    cases = {
        "text.tfrecord": (b"image,label\n1,2\n" * 4, "not a TFRecord file"),
        "empty.tfrecord": (b"", "empty file"),
        "truncated.tfrecord": (content[:-10], "record 3: the file ends inside the record"),
        "cut_header.tfrecord": (content + content[:5], "record 4: the file ends inside the record's header"),
        "flipped.tfrecord": (content[:14] + b"X" + content[15:], "record 1: corrupt record data"),
    }
    for name, (bad, message) in cases.items():
        with pytest.raises(InputError, match=message):
            inputs.check_tfrecord(_write(tmp_path / name, bad))


def test_check_readable_describes_what_it_read(tmp_path):
    _write(tmp_path / "span-4" / "a.tfrecord", inputs.tfrecord_bytes([b"a", b"b"]))
    text, rows = inputs.check_readable(inputs.find_input(tmp_path), "tfrecord")
    assert text.endswith("1 file(s), 2 records") and "span 4" in text and rows == 2
    _write(tmp_path / "span-5" / "a.csv", HEADER + "Adelie,Dream,3750.0\n\nGentoo,Biscoe,5000.0\n")
    text, rows = inputs.check_readable(inputs.find_input(tmp_path), "csv", COLUMNS)
    assert "2 rows, columns" in text and "span 5" in text and rows == 2, "blank lines are no rows"
    assert inputs.count_examples(inputs.find_input(tmp_path), "csv") == 2
    assert inputs.count_examples(inputs.find_input(tmp_path, 4), "tfrecord") == 2
