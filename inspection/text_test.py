"""Tables for a person."""

from inspection import text


def test_text_table_aligns_columns_and_shows_none_as_dash():
    lines = text.text_table(("id", "type"), [(1, "Examples"), (12, None)])
    assert lines == ["id  type", "1   Examples", "12  -"]
