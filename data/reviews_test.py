"""The review sources: one `label,text` row per review, whatever the source looked like."""

import csv
import io
import tarfile

import pytest

from data import reviews


def _written(data_root) -> list:
    with open(data_root / reviews.OUTPUT_FILE_NAME, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_rotten_tomatoes_keeps_label_and_text(tmp_path):
    assert reviews.rotten_tomatoes(tmp_path).endswith("(12808 Rotten Tomatoes review snippets; 1 = fresh)")
    rows = _written(tmp_path)
    assert tuple(rows[0]) == reviews.COLUMNS and len(rows) == 12809
    assert {label for label, _ in rows[1:]} == {"0", "1"}
    assert rows[1] == ["1", "A three-hour cinema master class."]


def test_imdb_sample_reviews_become_one_line_each(tmp_path):
    reviews.imdb_sample(tmp_path)
    content = (tmp_path / reviews.OUTPUT_FILE_NAME).read_text(encoding="utf-8")
    assert content.count("\n") == 101 and "<br" not in content


def test_line_breaks_and_html_breaks_become_spaces():
    assert reviews.one_line("Great.<br /><br />Really\ngreat.  ") == "Great. Really great."


@pytest.mark.parametrize(
    "row, problem",
    [("2,fine film", "label '2' is not 0 or 1"), ('1,"  "', "the text is empty")],
)
def test_a_bad_row_names_its_file_and_line(tmp_path, row, problem):
    source = tmp_path / "reviews.csv"
    source.write_text(f"label,text\n0,good\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"reviews.csv, line 3: {problem}"):
        list(reviews.labelled_rows(source))


def test_the_imdb_archive_gives_train_and_test_reviews_labelled_by_folder(tmp_path):
    archive = tmp_path / "aclImdb_v1.tar.gz"
    members = {
        "aclImdb/train/pos/0_9.txt": "Loved it.<br />Twice.",
        "aclImdb/test/neg/3_2.txt": "Dull.",
        "aclImdb/train/unsup/5_0.txt": "no label",
        "aclImdb/README": "readme",
    }
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert list(reviews.imdb_archive_reviews(archive)) == [("1", "Loved it. Twice."), ("0", "Dull.")]
