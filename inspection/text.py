"""How paths and tables are written for a person, in the run summary and in `inspect`."""

from pathlib import Path
from typing import Any, List, Sequence


def shown(path: Path | str) -> str:
    """`path` relative to the working directory when it lies below it."""
    path = Path(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> List[str]:
    """Rows under headers, columns left-aligned to their widest cell; None shows as "-"."""
    cells = [list(headers)] + [["-" if cell is None else str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
