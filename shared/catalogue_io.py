"""The power catalogue as an administrator keeps it: a spreadsheet (XLSX or CSV) or JSON.

A catalogue sheet has one row per procedure node (办理环节); the power item's own columns
(code, name, department, limits, fee, legal basis) stand on each of its rows, or only on its
first row with the rows after it left blank. An item without nodes is one row with the node
columns empty. Headers may be the code names (``legal_days``) or the Chinese labels
(``法定时限``), in any order; ``export_rows`` writes the Chinese labels, and what it writes
reads back the same.

``read_catalogue`` turns a file into the items ``PUT /api/v1/catalogue`` takes and reports
**every** problem with the row, the column and the reason — a text in a number column, a
limit the committed days exceed, a node code given twice, an item's rows scattered through
the sheet — so the administrator fixes the sheet once, before anything is sent. The checks
are the catalogue's own (``shared.catalogue.PowerItem``), mapped back to cells.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.catalogue import PSEUDO_NODES, PowerItem

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 500_000

Progress = Callable[[int, int], None]
"""(done, total) — rows read or items checked; total 0 while unknown."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    """The Chinese header ``export_rows`` writes."""
    kind: str = "text"
    """``text``, ``int`` or ``duties``."""
    item: bool = True
    """A column of the power item (repeated on its rows), else of the node."""


COLUMNS: tuple[Column, ...] = (
    Column("code", "事项编码"),
    Column("name", "事项名称"),
    Column("department", "部门编码"),
    Column("department_name", "部门名称"),
    Column("kind", "职权类别"),
    Column("legal_days", "法定时限", "int"),
    Column("committed_days", "承诺时限", "int"),
    Column("warn_days", "预警天数", "int"),
    Column("acceptance_days", "受理时限", "int"),
    Column("fee_fen", "收费上限(分)", "int"),
    Column("legal_basis", "设定依据"),
    Column("separate_duties", "不相容环节", "duties"),
    Column("node_code", "环节编码", item=False),
    Column("node_name", "环节名称", item=False),
    Column("node_days", "环节时限", "int", item=False),
    Column("node_post", "岗位", item=False),
    Column("risk_level", "风险等级", "int", item=False),
    Column("risk_point", "廉政风险点", item=False),
    Column("risk_measure", "防范措施", item=False),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = ("code", "name", "department", "legal_days")
KIND_NAMES = {
    "行政许可": "licensing", "行政处罚": "penalty", "行政征收": "levy", "行政确认": "confirmation",
    "行政检查": "inspection", "其他": "other", "其他行政权力": "other", "其它": "other",
}
KIND_LABELS = {v: k for k, v in KIND_NAMES.items() if k not in ("其他行政权力", "其它")}
_NUMBER = re.compile(r"^[+-]?\d+(\.0*)?$")
_FORMULA_START = ("=", "+", "@")


def _header_key(text: object) -> str | None:
    if text is None:
        return None
    t = re.sub(r"\s+", "", str(text)).lower().replace("（", "(").replace("）", ")")
    for c in COLUMNS:
        if t in (c.key, c.label.lower(), c.key.replace("_", "")):
            return c.key
    return None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class Reason(str):
    """A problem's reason: the English sentence, with a key and arguments a console translates."""

    key: str
    args: tuple[Any, ...]

    def __new__(cls, key: str, text: str, *args: Any) -> Reason:
        obj = super().__new__(cls, text)
        obj.key = key
        obj.args = args
        return obj

    def __reduce__(self) -> Any:
        return (Reason, (self.key, str(self), *self.args))


@dataclass(frozen=True)
class Problem:
    """One mistake: where (row and column of the sheet, or item and field of a JSON file) and why."""

    row: int | None
    column: str | None
    """``C (部门编码)`` for a sheet; a field path (``nodes[1].days``) for JSON."""
    message: str
    code: str | None = None
    """The power item the row belongs to, when known."""

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message


def _file_problem(key: str, text: str, *args: Any, row: int | None = None) -> CatalogueFileError:
    """The error for a problem with the file as a whole (or one row of it)."""
    return CatalogueFileError([Problem(row, None, Reason(key, text, *args))])


class CatalogueFileError(ValueError):
    """The file cannot be imported; ``problems`` holds every mistake found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:10]))
        self.problems = problems


@dataclass
class _Cell:
    row: int
    col: int
    value: Any


@dataclass
class _ItemRows:
    code: str
    first_row: int
    last_row: int
    fields: dict[str, _Cell] = field(default_factory=dict)
    nodes: list[dict[str, _Cell]] = field(default_factory=list)
    node_rows: list[int] = field(default_factory=list)


@dataclass
class CatalogueRead:
    """A file read into power items, with where each item came from."""

    items: list[dict[str, Any]]
    rows: list[int]
    """The first sheet row of each item (for JSON: its position, from 1)."""
    source: str
    """``xlsx``, ``csv`` or ``json``."""
    node_rows: list[list[int]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Column key → how to name it in a problem (``C (部门编码)``)."""

    def locate(self, index: int | None, path: str | None) -> tuple[int | None, str | None]:
        """Row and column of a problem the server reports as (item index, field path)."""
        if index is None or not 0 <= index < len(self.items):
            return None, path
        if self.source == "json":
            return index + 1, path
        row = self.rows[index]
        key = path or ""
        m = re.match(r"^nodes\[(\d+)\]\.?(.*)$", key)
        if m:
            n = int(m.group(1))
            rows = self.node_rows[index] if index < len(self.node_rows) else []
            row = rows[n] if n < len(rows) else row
            rest = m.group(2)
            key = "risk_" + rest.split(".", 1)[1] if rest.startswith("risk.") else f"node_{rest}" if rest else ""
        key = key.split(".", 1)[0].split("[", 1)[0]
        return row, self.columns.get(key, path)


# ---- reading cells -------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_START:
        text = text[1:]  # written so by export_csv, to keep spreadsheets from running it
    return text


def _is_error(value: Any) -> bool:
    return isinstance(value, str) and value.strip().upper() in {
        "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}


def _int(value: Any) -> tuple[int | None, str | None]:
    """The cell as a whole number, or why it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, Reason("not_number", f"{value} is not a number", str(value))
    if isinstance(value, datetime | date | time):
        return None, Reason("date_not_number", f"holds a date ({value}), not a number", str(value))
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return None, Reason("not_whole", f"{value:g} is not a whole number", f"{value:g}")
    text = str(value).strip()
    if _NUMBER.match(text):
        return int(float(text)), None
    try:
        number = float(text)
    except ValueError:
        return None, Reason("not_number", f"{text[:40]!r} is not a number", text[:40])
    if number != number or number in (float("inf"), float("-inf")):
        return None, Reason("not_number", f"{text[:40]!r} is not a number", text[:40])
    return None, Reason("not_whole", f"{text[:40]!r} is not a whole number", text[:40])


def _duties(value: Any) -> tuple[list[list[str]] | None, str | None]:
    text = _text(value)
    if not text:
        return [], None
    pairs = []
    for part in re.split(r"[;；\n]+", text):
        part = part.strip()
        if not part:
            continue
        ab = [p.strip() for p in re.split(r"[/／]", part)]
        if len(ab) != 2 or not all(ab):
            return None, Reason("not_pair",
                                f"{part[:40]!r} is not a pair of steps (write review/approve; accept/decide)",
                              part[:40])
        pairs.append(ab)
    return pairs, None


# ---- the readers -------------------------------------------------------------------------------
def _sheet_rows(path: Path, progress: Progress | None) -> Iterator[tuple[int, list[Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        yield from _xlsx_rows(path, progress)
    elif suffix in (".csv", ".txt"):
        yield from _csv_rows(path.read_bytes(), progress)
    else:
        raise _file_problem("wrong_type", f"{path.name}: read .xlsx, .xls, .ods, .csv or .json files", path.name)


def _xlsx_rows(path: Path, progress: Progress | None) -> Iterator[tuple[int, list[Any]]]:
    # calamine (Rust) reads a Chengdu-sized workbook in a tenth of openpyxl's time; it gives the
    # cached value of formula cells and an empty cell for an error cell.
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = {n.lower(): n for n in book.sheet_names}
        sheet = book.get_sheet_by_name(names.get("catalogue") or names.get("权力事项") or book.sheet_names[0])
        rows = sheet.iter_rows()
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise _file_problem(
            "bad_workbook", f"{path.name} is not a readable workbook ({type(exc).__name__}: {str(exc)[:120]})",
            path.name) from None
    total = sheet.height
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise _file_problem("too_many_rows", f"more than {MAX_ROWS} rows", MAX_ROWS, row=number)
        if progress is not None and number % 500 == 0:
            progress(number, total)
        yield number, list(row)
    if progress is not None:
        progress(total, total)


def _csv_rows(data: bytes, progress: Progress | None) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _file_problem("not_text", "the CSV file is not text (UTF-8 or GB18030)")
    if "\x00" in text:
        raise _file_problem("nul", "the CSV file is not text (it contains NUL characters)")
    total = text.count("\n") + 1
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise _file_problem("too_many_rows", f"more than {MAX_ROWS} rows", MAX_ROWS, row=number)
            if progress is not None and number % 500 == 0:
                progress(number, total)
            yield number, list(row)
    except csv.Error as exc:
        raise _file_problem("bad_csv", f"the CSV is malformed: {exc}", str(exc), row=reader.line_num) from None
    if progress is not None:
        progress(total, total)


def read_catalogue(path: str | Path, *, progress: Progress | None = None) -> CatalogueRead:
    """Read ``path`` (.xlsx, .csv or .json) into power items; raises ``CatalogueFileError`` with
    every problem when there is any."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise _file_problem("cannot_read", f"cannot read {p}: {exc.strerror or exc}", str(p),
                            str(exc.strerror or exc)) from None
    if size > MAX_FILE_BYTES:
        raise _file_problem(
            "too_large", f"{p.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", p.name,
            MAX_FILE_BYTES // (1024 * 1024))
    if size == 0:
        raise _file_problem("empty_file", f"{p.name} is empty", p.name)
    if p.suffix.lower() == ".json":
        return read_json_catalogue(p.read_bytes(), progress=progress)
    return read_sheet(_sheet_rows(p, progress), source="xlsx" if p.suffix.lower() != ".csv" else "csv",
                      progress=progress)


def read_json_catalogue(data: bytes, *, progress: Progress | None = None) -> CatalogueRead:
    """``{"items": [...]}`` or a bare list; problems name the item (as its row) and the field."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _file_problem("bad_json", f"not valid JSON: {str(exc)[:200]}", str(exc)[:200]) from None
    items = doc.get("items") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise _file_problem("json_shape", 'JSON must be {"items": [power items]} or a list of them')
    problems: list[Problem] = []
    for i, raw in enumerate(items):
        code = raw.get("code") if isinstance(raw, dict) and isinstance(raw.get("code"), str) else None
        problems.extend(Problem(i + 1, where, message, code) for where, message in check_item(raw))
        if progress is not None and i % 500 == 0:
            progress(i, len(items))
    problems.extend(_duplicate_codes([(i + 1, it.get("code") if isinstance(it, dict) else None)
                                      for i, it in enumerate(items)], column="code"))
    if problems:
        raise CatalogueFileError(problems)
    return CatalogueRead(items=items, rows=list(range(1, len(items) + 1)), source="json")


def check_item(raw: object) -> list[tuple[str | None, str]]:
    """Every problem of one power item as (field path, reason): ``shared.catalogue``'s checks."""
    try:
        PowerItem.model_validate(raw)
    except ValidationError as exc:
        out: list[tuple[str | None, str]] = []
        for err in exc.errors(include_url=False):
            path = ""
            for part in err["loc"]:
                path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
            out.append((path or None, _reason(err)))
        return out
    return []


#: pydantic's error types → (reason key, the context value it names)
_PYDANTIC = {
    "less_than_equal": ("at_most", "le"), "greater_than_equal": ("at_least", "ge"),
    "string_pattern_mismatch": ("bad_code", "pattern"), "literal_error": ("one_of", "expected"),
    "string_too_long": ("too_long", "max_length"), "string_too_short": ("empty_text", "min_length"),
    "too_long": ("too_many", "max_length"), "missing": ("missing", ""), "extra_forbidden": ("unknown_field", ""),
    "int_type": ("not_number", ""), "int_parsing": ("not_number", ""), "string_type": ("not_text_value", ""),
}


def _reason(err: Any) -> str:
    text = str(err["msg"]).removeprefix("Value error, ")
    known = _PYDANTIC.get(err["type"])
    if known is None:
        return text
    key, ctx = known
    arg = (err.get("ctx") or {}).get(ctx, "") if ctx else str(err.get("input", ""))[:40]
    return Reason(key, text, arg)


def _duplicate_codes(codes: Iterable[tuple[int, object]], column: str) -> list[Problem]:
    seen: dict[str, int] = {}
    out = []
    for row, code in codes:
        if not isinstance(code, str) or not code:
            continue
        if code in seen:
            out.append(Problem(row, column, Reason("code_twice", f"code {code!r} is already used at row {seen[code]}",
                                                   code, seen[code]), code))
        else:
            seen[code] = row
    return out


def read_sheet(rows: Iterable[tuple[int, list[Any]]], *, source: str = "xlsx",
               progress: Progress | None = None) -> CatalogueRead:
    """Sheet rows (row number, cell values) into items; the first non-empty row is the header."""
    problems: list[Problem] = []
    it = iter(rows)
    header: list[str | None] = []
    header_row = 0
    for number, values in it:
        if any(_text(v) for v in values):
            header, header_row = [_header_key(v) for v in values], number
            unknown = [(i, _text(v)) for i, v in enumerate(values) if _text(v) and header[i] is None]
            for i, text in unknown:
                known = ", ".join(c.label for c in COLUMNS)
                problems.append(Problem(number, f"{column_letter(i)} ({text[:30]})",
                                        Reason("unknown_column", "unknown column; the columns are " + known, known)))
            break
    if not header:
        raise _file_problem("no_header", "the sheet is empty: no header row")
    where: dict[str, int] = {}
    for i, key in enumerate(header):
        if key is None:
            continue
        if key in where:
            problems.append(Problem(header_row, f"{column_letter(i)} ({BY_KEY[key].label})",
                                    Reason("column_twice", f"the column {BY_KEY[key].label} appears twice (also "
                                           f"{column_letter(where[key])})", BY_KEY[key].label,
                                           column_letter(where[key]))))
        else:
            where[key] = i
    names = {key: f"{column_letter(i)} ({BY_KEY[key].label})" for key, i in where.items()}
    for key in REQUIRED:
        if key not in where:
            problems.append(Problem(header_row, None, Reason("missing_column",
                                                             f"the sheet has no {BY_KEY[key].label} ({key}) column",
                                                            BY_KEY[key].label, key)))
    if problems and any(p.column is None for p in problems):
        raise CatalogueFileError(problems)

    items: dict[str, _ItemRows] = {}
    order: list[_ItemRows] = []
    current: _ItemRows | None = None
    for number, values in it:
        cells = {key: _Cell(number, i, values[i] if i < len(values) else None) for key, i in where.items()}
        if not any(_text(c.value) for c in cells.values()):
            continue
        errors = [(k, c) for k, c in cells.items() if _is_error(c.value)]
        for key, c in errors:
            problems.append(Problem(number, names[key], Reason("cell_error",
                                                               f"the cell holds a spreadsheet error ({_text(c.value)})",
                                                               _text(c.value))))
            c.value = None
        code = _text(cells["code"].value)
        if not code:
            if current is None:
                problems.append(Problem(number, names["code"],
                                        Reason("no_code", "no item code, and no item above to continue")))
                continue
        elif current is None or code != current.code:
            if code in items:
                earlier = items[code]
                problems.append(Problem(number, names["code"],
                                        Reason("scattered", f"item {code!r} already had rows {earlier.first_row}–"
                                               f"{earlier.last_row}; keep an item's rows together (or is this "
                                               "another item with a copied code?)", code, earlier.first_row,
                                               earlier.last_row), code))
                current = None
                continue
            current = _ItemRows(code, number, number)
            items[code] = current
            order.append(current)
        assert current is not None
        current.last_row = number
        for key, c in cells.items():
            col = BY_KEY[key]
            if not col.item or key == "code" or not _text(c.value):
                continue
            had = current.fields.get(key)
            if had is None:
                current.fields[key] = c
            elif _text(had.value) != _text(c.value):
                problems.append(Problem(number, names[key],
                                        Reason("differs", f"{_text(c.value)[:40]!r} differs from "
                                               f"{_text(had.value)[:40]!r} on row {had.row} of the same item",
                                               _text(c.value)[:40], _text(had.value)[:40], had.row), current.code))
        node = {k[5:] if k.startswith("node_") else k: c for k, c in cells.items()
                if not BY_KEY[k].item and _text(c.value)}
        if node:
            current.nodes.append(node)
            current.node_rows.append(number)
        if progress is not None and len(order) % 500 == 0:
            progress(len(order), 0)

    out_items: list[dict[str, Any]] = []
    for group in order:
        item, item_problems = _build_item(group, names)
        problems.extend(item_problems)
        out_items.append(item)
    if not order and not problems:
        problems.append(Problem(None, None, Reason("no_items", "the sheet has a header but no items")))
    if problems:
        raise CatalogueFileError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return CatalogueRead(items=out_items, rows=[r.first_row for r in order], source=source,
                         node_rows=[r.node_rows for r in order], columns=names)


def _build_item(rows: _ItemRows, names: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    code = rows.code

    def bad(cell_row: int, key: str, message: str) -> None:
        problems.append(Problem(cell_row, names.get(key, key), message, code))

    item: dict[str, Any] = {"code": code}
    for key, cell in rows.fields.items():
        col = BY_KEY[key]
        if col.kind == "int":
            number, why = _int(cell.value)
            if why:
                bad(cell.row, key, why)
            elif number is not None:
                item[key] = number
        elif col.kind == "duties":
            pairs, why = _duties(cell.value)
            if why:
                bad(cell.row, key, why)
            else:
                item[key] = pairs
        elif key == "kind":
            text = _text(cell.value)
            item[key] = KIND_NAMES.get(text, text)
        else:
            item[key] = _text(cell.value)
    for key in REQUIRED[1:]:
        if key not in rows.fields:
            bad(rows.first_row, key, Reason("empty", f"{BY_KEY[key].label} is empty", BY_KEY[key].label))
    nodes: list[dict[str, Any]] = []
    for node_cells, row in zip(rows.nodes, rows.node_rows, strict=True):
        node: dict[str, Any] = {}
        risk: dict[str, Any] = {}
        for key, cell in node_cells.items():
            full = f"node_{key}" if f"node_{key}" in BY_KEY else key
            if BY_KEY[full].kind == "int":
                number, why = _int(cell.value)
                if why:
                    bad(row, full, why)
                    continue
                value: Any = number
            else:
                value = _text(cell.value)
            if full.startswith("risk_"):
                risk[full[5:]] = value
            else:
                node[full[5:]] = value
        if risk:
            if "level" not in risk:
                bad(row, "risk_level", Reason("risk_needs_level", "a risk point needs its level (1–3)"))
            if "point" not in risk:
                bad(row, "risk_point", Reason("risk_needs_point", "a risk level needs the risk point it describes"))
            node["risk"] = risk
        if "code" not in node:
            bad(row, "node_code", Reason("node_needs_code", "a node needs its code"))
        if "name" not in node:
            bad(row, "node_name", Reason("node_needs_name", "a node needs its name"))
        nodes.append(node)
    item["nodes"] = nodes
    # The catalogue's own checks, mapped back to the cells they concern.
    seen_nodes: dict[str, int] = {}
    for node, row in zip(nodes, rows.node_rows, strict=True):
        c = node.get("code")
        if isinstance(c, str) and c in PSEUDO_NODES:
            bad(row, "node_code", Reason("reserved_node", f"{c!r} is reserved for the acceptance/decision step; "
                                          "give the node another code", c))
        elif isinstance(c, str) and c in seen_nodes:
            bad(row, "node_code", Reason("node_twice", f"node code {c!r} is already used on row {seen_nodes[c]}", c,
                                          seen_nodes[c]))
        elif isinstance(c, str):
            seen_nodes[c] = row
    legal, committed = item.get("legal_days"), item.get("committed_days")
    if isinstance(legal, int) and isinstance(committed, int) and committed > legal:
        bad(rows.fields["committed_days"].row, "committed_days",
            Reason("committed_exceeds", f"the committed limit ({committed}) exceeds the legal limit ({legal})",
                   committed, legal))
    for pair in item.get("separate_duties", []):
        for step in pair:
            if step not in seen_nodes and step not in PSEUDO_NODES:
                bad(rows.fields["separate_duties"].row, "separate_duties",
                    Reason("unknown_step", f"{step!r} is not a node of this item (nor accept/decide)", step))
        if len(pair) == 2 and pair[0] == pair[1]:
            bad(rows.fields["separate_duties"].row, "separate_duties",
                Reason("same_step", f"{pair[0]!r}/{pair[1]!r} names one step twice", pair[0]))
    if not problems:
        node_rows = rows.node_rows
        for path, message in check_item(item):
            m = re.match(r"^nodes\[(\d+)\]\.?(.*)$", path or "")
            if m:
                n = int(m.group(1))
                rest = m.group(2)
                key = "risk_" + rest.split(".", 1)[1] if rest.startswith("risk.") else f"node_{rest}"
                bad(node_rows[n] if n < len(node_rows) else rows.first_row, key.split("[", 1)[0], message)
            else:
                key = (path or "").split(".", 1)[0].split("[", 1)[0]
                at = rows.fields.get(key)
                bad(at.row if at else rows.first_row, key or "code", message)
    return item, problems


# ---- writing -----------------------------------------------------------------------------------
def export_rows(items: Iterable[PowerItem | dict[str, Any]]) -> Iterator[list[Any]]:
    """The header and one row per node (an item without nodes: one row), item columns on every row."""
    yield [c.label for c in COLUMNS]
    for raw in items:
        item = raw if isinstance(raw, PowerItem) else PowerItem.model_validate(raw)
        base: list[Any] = [
            item.code, item.name, item.department, item.department_name, KIND_LABELS.get(item.kind, item.kind),
            item.legal_days, item.committed_days, item.warn_days, item.acceptance_days, item.fee_fen,
            item.legal_basis, "; ".join(f"{a}/{b}" for a, b in item.separate_duties),
        ]
        if not item.nodes:
            yield [*base, *[None] * 7]
        for n in item.nodes:
            risk = n.risk
            yield [*base, n.code, n.name, n.days, n.post, risk.level if risk else None,
                   risk.point if risk else None, risk.measure if risk else None]


def _safe_text(value: Any) -> Any:
    # A text that starts like a formula would run when the sheet is opened: keep it text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv(items: Iterable[PowerItem | dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in export_rows(items):
        writer.writerow(["" if v is None else _safe_text(v) for v in row])
    # UTF-8 with a BOM: what Excel on a Chinese Windows opens without garbling the labels.
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(items: Iterable[PowerItem | dict[str, Any]], path: str | Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("catalogue")
    for row in export_rows(items):
        if not any(isinstance(v, str) and v.startswith("=") for v in row):
            sheet.append(row)
            continue
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    book.save(str(path))


def export_json(items: Iterable[PowerItem | dict[str, Any]]) -> bytes:
    data = [(i if isinstance(i, PowerItem) else PowerItem.model_validate(i)).model_dump(mode="json") for i in items]
    return json.dumps({"items": data}, ensure_ascii=False, indent=1).encode()


def write_catalogue(items: Sequence[PowerItem | dict[str, Any]], path: str | Path) -> None:
    """Write ``items`` to ``path`` in the format its suffix names (.xlsx, .csv, .json)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        export_xlsx(items, p)
    elif suffix == ".csv":
        p.write_bytes(export_csv(items))
    elif suffix == ".json":
        p.write_bytes(export_json(items))
    else:
        raise ValueError(f"{p.name}: write .xlsx, .csv or .json")
