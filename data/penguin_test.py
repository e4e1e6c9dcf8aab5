"""The penguins CSV conversion: renamed columns, floats, missing cells, clear errors."""

import csv
import io
import os

import pytest

from data import penguin
from data.files import write_if_changed

HEADER = "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"


def _convert_text(tmp_path, body: str) -> list[dict]:
    source = tmp_path / "raw.csv"
    source.write_text(HEADER + body)
    return list(csv.DictReader(io.StringIO(penguin.convert(source).decode())))


def test_packaged_csv_has_344_rows_with_missing_values(tmp_path):
    assert penguin.prepare_packaged(tmp_path).endswith("(344 rows)")
    rows = list(csv.DictReader(open(tmp_path / penguin.OUTPUT_FILE_NAME)))
    assert len(rows) == 344
    assert list(rows[0]) == list(penguin.RENAMED_COLUMNS.values())
    assert sum(row["culmen_length_mm"] == "" for row in rows) == 2
    assert sum(row["sex"] == "" for row in rows) == 11
    assert {row["species"] for row in rows} == set(penguin.SPECIES)


def test_measurements_become_floats_and_na_becomes_empty(tmp_path):
    rows = _convert_text(tmp_path, "Adelie,Torgersen,39.1,18.7,181,3750,NA,2007\n")
    assert rows == [
        {
            "species": "Adelie",
            "island": "Torgersen",
            "culmen_length_mm": "39.1",
            "culmen_depth_mm": "18.7",
            "flipper_length_mm": "181.0",
            "body_mass_g": "3750.0",
            "sex": "",
            "year": "2007",
        }
    ]


@pytest.mark.parametrize(
    "body, message",
    [
        ("Adelie,Torgersen,39.1,18.7,181,heavy,male,2007\n", "raw.csv:2: column 'body_mass_g' value 'heavy' is not a number"),
        ("Adelie,Torgersen,39.1,18.7,181,3750,male,2007\nEmperor,Dream,1,1,1,1,male,2007\n", "raw.csv:3: column 'species' value 'Emperor'"),
        ("NA,Torgersen,39.1,18.7,181,3750,male,2007\n", "raw.csv:2: column 'species' is required but missing"),
        ("Adelie,Torgersen,39.1,18.7,181,3750,male,2007.5\n", "raw.csv:2: column 'year' value '2007.5' is not an integer"),
        ("", "raw.csv: no data rows"),
    ],
)
def test_bad_input_names_file_row_and_column(tmp_path, body, message):
    with pytest.raises(penguin.DataError, match=message.replace(".", r"\.")):
        _convert_text(tmp_path, body)


def test_missing_column_is_named(tmp_path):
    source = tmp_path / "raw.csv"
    source.write_text("species,island\nAdelie,Dream\n")
    with pytest.raises(penguin.DataError, match=r"header lacks column\(s\) \['bill_depth_mm'"):
        penguin.convert(source)


def test_unchanged_content_is_not_rewritten(tmp_path):
    """ExampleGen's cache key includes the file's mtime: an identical rewrite would bust it."""
    path = tmp_path / "out" / "data.csv"
    assert write_if_changed(path, b"a,b\n1,2\n")
    os.utime(path, (1_000_000, 1_000_000))
    assert not write_if_changed(path, b"a,b\n1,2\n")
    assert path.stat().st_mtime == 1_000_000
    assert write_if_changed(path, b"a,b\n1,3\n")
    assert path.read_bytes() == b"a,b\n1,3\n"
    assert [p.name for p in path.parent.iterdir()] == ["data.csv"]  # no temp files left
