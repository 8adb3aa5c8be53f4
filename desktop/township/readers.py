"""Reading export files as rows of cells: CSV (any of the encodings townships use), XLSX, JSON lines.

Township systems export CSV as UTF-8 (with or without a BOM) or as GBK/GB18030 (Excel on a
Chinese Windows saves "CSV" that way), XLSX through Excel, and occasionally JSON lines. Every
reader yields ``SourceRow``s with the row number the clerk sees in Excel (or the line number
of a JSON line), so an error can say exactly where to look.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES + JSONL_SUFFIXES

#: How many rows at the top of a sheet may come before the header row (title lines such as
#: "XX镇便民服务中心办件流水 2026年3月1日" are common in exports).
HEADER_SEARCH_ROWS = 10


class ReadError(Exception):
    """The file cannot be read at all (not a row-level problem)."""


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as the clerk sees it and its cells by column header."""

    row: int
    cells: dict[str, Any]


@dataclass
class Table:
    """A file read as a table: where the header was, its columns, and the data rows."""

    path: Path
    format: str
    encoding: str | None
    headers: list[str]
    rows: Iterator[SourceRow]


def detect_encoding(data: bytes) -> str:
    """BOM → utf-8-sig; strict UTF-8 → utf-8; anything else → gb18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column, for error messages."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _find_header(rows: list[list[Any]], wanted: set[str]) -> int:
    """Index of the first row that holds the most of the wanted column names (0 if none does)."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {str(c).strip() for c in row if c is not None}
        hits = len(names & wanted)
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _header_names(row: list[Any]) -> list[str]:
    names = []
    for i, cell in enumerate(row):
        text = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        names.append(text or f"#{column_letter(i)}")
    return names


def _is_blank(row: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def read_csv(path: Path, wanted: set[str]) -> Table:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    # Lazily: the first batch can go out while the rest of a 100,000-row file is still parsed.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), reader, strict=False)]
    if not head:
        raise ReadError(f"{path.name} is empty")
    header_index = _find_header(head, wanted)
    headers = _header_names(head[header_index])

    def rows() -> Iterator[SourceRow]:
        number = header_index + 1
        for values in head[header_index + 1 :]:
            number += 1
            if not _is_blank(values):
                yield SourceRow(number, dict(zip(headers, values, strict=False)))
        for values in reader:
            number += 1
            if not _is_blank(values):
                yield SourceRow(number, dict(zip(headers, values, strict=False)))

    return Table(path, "csv", encoding, headers, rows())


def read_xlsx(path: Path, wanted: set[str], sheet: str | None = None) -> Table:
    import openpyxl  # imported here: it is slow to import and CSV-only runs never need it

    try:
        # read_only streams rows (a day's export can hold 100,000); data_only gives the values
        # Excel last calculated instead of formulas.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or wrong file
        raise ReadError(f"{path.name} is not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise ReadError(f"{path.name} has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    ws = book[sheet] if sheet else book.worksheets[0]
    it = ws.iter_rows(values_only=True)
    head: list[list[Any]] = []
    for values in it:
        head.append(list(values))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        book.close()
        raise ReadError(f"{path.name} has an empty first sheet")
    header_index = _find_header(head, wanted)
    headers = _header_names(head[header_index])

    def rows() -> Iterator[SourceRow]:
        try:
            number = header_index + 1
            for values in head[header_index + 1 :]:
                number += 1
                if not _is_blank(values):
                    yield SourceRow(number, dict(zip(headers, values, strict=False)))
            for tup in it:
                number += 1
                values = list(tup)
                if not _is_blank(values):
                    yield SourceRow(number, dict(zip(headers, values, strict=False)))
        finally:
            book.close()

    return Table(path, "xlsx", None, headers, rows())


def read_jsonl(path: Path) -> Table:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    lines = data.decode(encoding).splitlines()
    headers: list[str] = []

    def rows() -> Iterator[SourceRow]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield SourceRow(number, {"__error__": f"line {number} is not valid JSON: {exc.msg}"})
                continue
            if not isinstance(value, dict):
                yield SourceRow(number, {"__error__": f"line {number} is not a JSON object"})
                continue
            yield SourceRow(number, value)

    return Table(path, "jsonl", encoding, headers, rows())


def read_table(path: Path, wanted: set[str] | None = None, sheet: str | None = None) -> Table:
    """Open an export file by its suffix; ``wanted`` column names help find the header row."""
    suffix = path.suffix.lower()
    wanted = wanted or set()
    if not path.is_file():
        raise ReadError(f"{path} does not exist")
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, wanted, sheet)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path)
    if suffix in CSV_SUFFIXES:
        return read_csv(path, wanted)
    raise ReadError(f"{path.name}: unsupported file type {suffix!r} (use .csv, .xlsx or .jsonl)")
