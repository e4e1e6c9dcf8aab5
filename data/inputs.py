"""A user's data directory: which files a run reads, and whether they can be read at all.

A data directory is flat (its files are one span) or holds spans, `span-1/`, `span-2/`,
... (ExampleGen's `span-{SPAN}/*` pattern); a run takes the highest span unless told
which. Before the pipeline starts, every file of the chosen span is read once here, so
input that no component could read (an empty file, a header without the schema's
columns, bytes that are not UTF-8, a truncated row or record, a file that is not a
TFRecord) is refused with one line naming the file, the line or record, and what is
wrong, instead of a stack trace from deep inside a Beam job. Data that can be read but
is wrong (out of range, drifted, ...) is the data gate's job (`components/data_validation.py`).
"""

import csv
import gzip
import io
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

SPAN_DIR_PREFIX = "span-"
SPAN_PATTERN = SPAN_DIR_PREFIX + "{SPAN}/*"
SPAN_DIR = re.compile(re.escape(SPAN_DIR_PREFIX) + r"(\d+)")
GZIP_MAGIC = b"\x1f\x8b"
# A TFRecord: uint64 length, uint32 masked CRC-32C of the length, data, uint32 masked CRC of the data.
RECORD_HEADER = struct.Struct("<QI")
RECORD_FOOTER_BYTES = 4
CRC_MASK_DELTA = 0xA282EAD8
# Bytes of text shown when quoting a bad line.
QUOTE_CHARS = 60


class InputError(ValueError):
    """Input that cannot be read; the message is one line naming the file and what is wrong."""


@dataclass(frozen=True)
class DataInput:
    """The files a run reads: `root` (ExampleGen's input_base), spans or flat, and the span."""

    root: Path
    spans: bool
    span: Optional[int]
    files: List[Path]

    @property
    def description(self) -> str:
        where = f"span {self.span} ({self.root / f'{SPAN_DIR_PREFIX}{self.span}'})" if self.spans else str(self.root)
        return f"{where}: {len(self.files)} file(s)"


def _visible(directory: Path) -> List[Path]:
    return sorted(path for path in directory.iterdir() if not path.name.startswith("."))


def find_input(root: Path, span: Optional[int] = None) -> DataInput:
    """The files of `span` (default: the highest) under `root`, or of a flat `root`."""
    if not root.is_dir():
        raise InputError(f"{root}: no such data directory")
    entries = _visible(root)
    span_dirs = {int(match.group(1)): path for path in entries if path.is_dir() and (match := SPAN_DIR.fullmatch(path.name))}
    if not span_dirs:
        if span is not None:
            raise InputError(f"{root}: --span {span} given, but the directory holds no {SPAN_DIR_PREFIX}N/ directories")
        files = [path for path in entries if path.is_file()]
        if not files:
            raise InputError(f"{root}: no data files (and no {SPAN_DIR_PREFIX}N/ directories)")
        return DataInput(root, False, None, files)
    stray = [path.name for path in entries if path.is_file()]
    if stray:
        raise InputError(
            f"{root}: holds both {SPAN_DIR_PREFIX}N/ directories and files ({', '.join(stray[:3])}); "
            f"put every file in a span directory"
        )
    chosen = max(span_dirs) if span is None else span
    if chosen not in span_dirs:
        raise InputError(f"{root}: no {SPAN_DIR_PREFIX}{chosen}/ (spans: {', '.join(map(str, sorted(span_dirs)))})")
    files = [path for path in _visible(span_dirs[chosen]) if path.is_file()]
    if not files:
        raise InputError(f"{span_dirs[chosen]}: no data files")
    return DataInput(root, True, chosen, files)


def _open(path: Path) -> BinaryIO:
    """The file's bytes, decompressed where it is gzip (ExampleGen reads .gz files too)."""
    with open(path, "rb") as handle:
        magic = handle.read(2)
    return gzip.open(path, "rb") if magic == GZIP_MAGIC else open(path, "rb")  # type: ignore[return-value]


def _decoded_lines(path: Path, content: bytes) -> str:
    """`content` as UTF-8 text; InputError naming the line and byte of the first bad byte."""
    if b"\0" in content[:4096]:
        raise InputError(f"{path}: binary data (NUL bytes), not CSV text")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"{path}:{line}: bytes that are not UTF-8 ({content[error.start:error.start + 4]!r} at byte {error.start})"
        ) from None


def _quoted(text: str) -> str:
    return repr(text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "...")


def check_csv(
    path: Path, required_columns: Iterable[str], header: Optional[Sequence[str]] = None
) -> Tuple[List[str], int]:
    """Reads one CSV file as CsvExampleGen would; returns its header and data row count.

    Refuses an empty file, a header without `required_columns`, a header unlike
    `header` (every file of a span must share one), no data rows, text that is not
    UTF-8, and rows whose field count differs from the header's (a truncated last row
    among them).
    """
    with _open(path) as handle:
        content = handle.read()
    if not content.strip():
        raise InputError(f"{path}: empty file (no header, no rows)")
    text = _decoded_lines(path, content)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        found = [name.strip() for name in next(rows)]
        missing = [name for name in required_columns if name not in found]
        if missing:
            raise InputError(f"{path}:1: header lacks the schema's column(s) {', '.join(missing)} (header: {', '.join(found)})")
        if header is not None and found != list(header):
            raise InputError(f"{path}:1: header {', '.join(found)} differs from the span's first file ({', '.join(header)})")
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        data_rows = 0
        for row in rows:
            if not row:
                continue
            data_rows += 1
            if len(row) != len(found):
                truncated = " (the last row: truncated?)" if rows.line_num == last_line else ""
                raise InputError(
                    f"{path}:{rows.line_num}: {len(row)} field(s) where the header has {len(found)}{truncated}: "
                    f"{_quoted(','.join(row))}"
                )
    except csv.Error as error:
        raise InputError(f"{path}:{rows.line_num}: not valid CSV ({error})") from None
    if data_rows == 0:
        raise InputError(f"{path}: a header but no data rows")
    return found, data_rows


def _crc32c(data: bytes) -> int:
    import google_crc32c  # ships with the Google Cloud client TFX installs; C implementation

    return google_crc32c.value(data)


def masked_crc(data: bytes) -> int:
    """TFRecord's masked CRC-32C of `data`."""
    crc = _crc32c(data)
    return (((crc >> 15) | (crc << 17)) + CRC_MASK_DELTA) & 0xFFFFFFFF


def read_tfrecords(path: Path) -> Iterator[bytes]:
    """Every record of a TFRecord file (gzip or not), its framing and checksums verified.

    Raises InputError for a file that is not TFRecords (its first length fails its
    checksum), a record whose data fails its checksum, and a file that ends inside a record.
    """
    count = 0
    with _open(path) as handle:
        while True:
            header = handle.read(RECORD_HEADER.size)
            if not header:
                return
            what = f"{path}: record {count + 1}"
            if len(header) < RECORD_HEADER.size:
                raise InputError(f"{what}: the file ends inside the record's header (truncated)")
            length, length_crc = RECORD_HEADER.unpack(header)
            if masked_crc(header[:8]) != length_crc:
                if count == 0:
                    raise InputError(f"{path}: not a TFRecord file (its first record's length fails its checksum)")
                raise InputError(f"{what}: corrupt record header (length checksum mismatch)")
            data = handle.read(length)
            footer = handle.read(RECORD_FOOTER_BYTES)
            if len(data) < length or len(footer) < RECORD_FOOTER_BYTES:
                raise InputError(f"{what}: the file ends inside the record ({len(data)} of {length} bytes; truncated)")
            if masked_crc(data) != struct.unpack("<I", footer)[0]:
                raise InputError(f"{what}: corrupt record data (checksum mismatch)")
            count += 1
            yield data


def tfrecord_bytes(records: Iterable[bytes]) -> bytes:
    """`records` framed as a TFRecord file."""
    out = io.BytesIO()
    for record in records:
        length = struct.pack("<Q", len(record))
        out.write(length + struct.pack("<I", masked_crc(length)) + record + struct.pack("<I", masked_crc(record)))
    return out.getvalue()


def check_tfrecord(path: Path) -> int:
    """Reads every record of a TFRecord file (see `read_tfrecords`); returns the record count."""
    count = sum(1 for _ in read_tfrecords(path))
    if count == 0:
        raise InputError(f"{path}: empty file (no records)")
    return count


class ReadInput(NamedTuple):
    """What `check_readable` read: a line for the person running, and the example count."""

    description: str
    rows: int


def check_readable(data: DataInput, example_format: str, required_columns: Iterable[str] = ()) -> ReadInput:
    """Reads every file of `data` (CSV or TFRecord): what was read, and how many examples."""
    if example_format == "csv":
        header: Optional[List[str]] = None
        rows = 0
        for path in data.files:
            header, file_rows = check_csv(path, list(required_columns), header)
            rows += file_rows
        return ReadInput(f"{data.description}, {rows:,} rows, columns {', '.join(header or [])}", rows)
    records = sum(check_tfrecord(path) for path in data.files)
    return ReadInput(f"{data.description}, {records:,} records", records)


def count_examples(data: DataInput, example_format: str) -> int:
    """How many examples `data` holds, read but not checked: for a built-in source's output,
    which ExampleGen itself is left to judge. A CSV counts its non-blank lines after the header."""
    if example_format == "csv":
        total = 0
        for path in data.files:
            with _open(path) as handle:
                total += max(sum(1 for line in handle if line.strip()) - 1, 0)
        return total
    return sum(sum(1 for _ in read_tfrecords(path)) for path in data.files)
