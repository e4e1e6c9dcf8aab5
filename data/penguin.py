"""The raw Palmer penguins table as a CsvExampleGen input directory.

Source: the `palmerpenguins` package on PyPI ships the CSV (344 rows, missing values
written as NA), so no network is needed. Columns are renamed to the culmen names the
study notes and the TFX penguin example use, measurements are written as floats (so
CsvExampleGen infers FLOAT for all of them, and a REST client may send 3750.5), and NA
becomes an empty cell, which CsvExampleGen records as a missing value.
"""

import csv
import io
import importlib.util
from pathlib import Path

from data.download import RemoteFile, fetch
from data.files import data_rows, sha256_of, write_if_changed

PACKAGE = "palmerpenguins"
PACKAGE_CSV = "data/penguins.csv"
# SHA-256 of palmerpenguins 0.1.4's data/penguins.csv: a different file means a
# different dataset, which must not pass silently under the same name.
PACKAGE_CSV_SHA256 = "f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93"
# The canonical CSV the package copies. No checksum is published for it: the first
# download's SHA-256 is recorded in the cache and enforced afterwards.
CANONICAL_CSV = RemoteFile(
    name="palmerpenguins.csv",
    url="https://raw.githubusercontent.com/allisonhorst/palmerpenguins/main/inst/extdata/penguins.csv",
    sha256=None,
)

OUTPUT_FILE_NAME = "penguins.csv"
MISSING_MARKERS = frozenset({"", "NA"})
SPECIES = ("Adelie", "Chinstrap", "Gentoo")

# source column -> column written for ExampleGen
RENAMED_COLUMNS = {
    "species": "species",
    "island": "island",
    "bill_length_mm": "culmen_length_mm",
    "bill_depth_mm": "culmen_depth_mm",
    "flipper_length_mm": "flipper_length_mm",
    "body_mass_g": "body_mass_g",
    "sex": "sex",
    "year": "year",
}
FLOAT_COLUMNS = frozenset({"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"})
INT_COLUMNS = frozenset({"year"})
REQUIRED_COLUMNS = frozenset({"species", "island"})


class DataError(ValueError):
    """Bad input data; the message names the file, row and column."""


def packaged_csv_path() -> Path:
    """Path of the CSV inside the installed palmerpenguins package, checksum-verified."""
    # find_spec locates the package without importing it: palmerpenguins' __init__
    # needs pkg_resources (setuptools), which this environment does not install.
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"the {PACKAGE} package is not installed; run `make venv`")
    path = Path(spec.submodule_search_locations[0]) / PACKAGE_CSV
    actual = sha256_of(path)
    if actual != PACKAGE_CSV_SHA256:
        raise DataError(
            f"{path}: SHA-256 {actual} does not match the expected {PACKAGE_CSV_SHA256}; "
            f"the installed {PACKAGE} package ships a different dataset"
        )
    return path


def _convert_cell(path: Path, row_number: int, column: str, value: str) -> str:
    value = value.strip()
    if value in MISSING_MARKERS:
        if column in REQUIRED_COLUMNS:
            raise DataError(f"{path}:{row_number}: column '{column}' is required but missing")
        return ""
    if column in FLOAT_COLUMNS or column in INT_COLUMNS:
        try:
            number = float(value)
        except ValueError:
            raise DataError(
                f"{path}:{row_number}: column '{column}' value {value!r} is not a number"
            ) from None
        if column in INT_COLUMNS:
            if not number.is_integer():
                raise DataError(
                    f"{path}:{row_number}: column '{column}' value {value!r} is not an integer"
                )
            return str(int(number))
        return repr(number)
    if column == "species" and value not in SPECIES:
        raise DataError(
            f"{path}:{row_number}: column 'species' value {value!r} is not one of {SPECIES}"
        )
    return value


def convert(source: Path) -> bytes:
    """Returns the ExampleGen CSV for a raw penguins CSV, validating every cell."""
    with open(source, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(RENAMED_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise DataError(f"{source}: header lacks column(s) {sorted(missing)}")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(RENAMED_COLUMNS.values())
        rows = 0
        # Row numbers are file line numbers: the header is line 1.
        for row_number, row in enumerate(reader, start=2):
            writer.writerow(
                _convert_cell(source, row_number, column, row[column] or "")
                for column in RENAMED_COLUMNS
            )
            rows += 1
    if rows == 0:
        raise DataError(f"{source}: no data rows")
    return out.getvalue().encode("utf-8")


def prepare(data_root: Path, source: Path) -> str:
    """Writes the ExampleGen input directory from the raw CSV `source`.

    The output is rewritten only when its content changes, so an unchanged dataset keeps
    ExampleGen (and everything after it) cached. Returns what was written, for the run.
    """
    content = convert(source)
    write_if_changed(data_root / OUTPUT_FILE_NAME, content)
    return f"{source} ({data_rows(content)} rows)"


def prepare_packaged(data_root: Path) -> str:
    """Offline source: the CSV inside the palmerpenguins package."""
    return prepare(data_root, packaged_csv_path())


def prepare_downloaded(data_root: Path) -> str:
    """The canonical CSV from the palmerpenguins repository (cached after one download)."""
    return prepare(data_root, fetch(CANONICAL_CSV))
