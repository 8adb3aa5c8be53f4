"""Mapping files: how one source system's export columns become protocol records.

A mapping (``resources/sync-mappings/*.toml``; docs/sync-agent.md explains the format) names
the source system, the record kind, which column feeds which record field, value tables
(受理 → ``accepted``, 办结 → ``decided`` + ``result = "approved"``), how to read dates and
money, and which fields make a row's stable key. The record id is
``uuid5(NAMESPACE, office | system | key values)``, so exporting and importing the same row
again — from CSV or from XLSX — always gives the same id and the server counts it once.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from desktop.township.readers import SourceRow, column_letter
from shared import protocol

#: Fixed forever: changing it would give every record a new id and duplicate everything.
NAMESPACE = uuid.UUID("6f1d6c1e-3c4e-5b8a-9e21-7a0c1b2d3e4f")

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "resources" / "sync-mappings"
PARSERS = ("text", "datetime", "int", "yuan_to_fen", "bool", "ref")
DEFAULT_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


class MappingError(Exception):
    """The mapping file itself is wrong (a setup problem, not a row problem)."""


class RowError(Exception):
    """One row cannot become a valid record: the protocol's code, the field and the column."""

    def __init__(self, code: str, message: str, field: str | None = None, column: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.column = column


@dataclass(frozen=True)
class FieldRule:
    """One record field: where its value comes from and how it is converted."""

    name: str
    columns: tuple[str, ...] = ()
    const: Any = None
    parse: str = "text"
    values: dict[str, Any] | None = None
    keep_unknown: bool = False
    required: bool = False
    #: For ``parse = "ref"``: the source system whose local numbers the column holds (a
    #: petition's 信访编号); the value becomes that record's id, as its own mapping computes it.
    ref: str = ""
    root: str = ""
    plain: bool = False  # text, no value table, not nested: the fast path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", self.name.split(".", 1)[0])
        object.__setattr__(self, "plain", self.parse == "text" and self.values is None and "." not in self.name)


@dataclass
class Mapping:
    """A loaded mapping file."""

    name: str
    system: str
    path: Path | None = None
    title: str = ""
    format: str = "table"  # "table": columns → fields; "records": each JSON line is a record
    kind: str = "approval_event"
    tz: timezone = timezone(timedelta(hours=8))
    datetime_formats: tuple[str, ...] = DEFAULT_DATETIME_FORMATS
    key: tuple[str, ...] = ()
    period_pattern: re.Pattern[str] | None = None
    sheet: str | None = None
    rules: list[FieldRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Exports repeat the same timestamps and values on many rows; parsing each distinct
        # text once keeps a 100,000-row import fast.
        self._parse_dt = functools.lru_cache(maxsize=65536)(self._parse_datetime_text)
        self._deciding = [r for r in self.rules if r.root in ("kind", "type")]
        self._others = [r for r in self.rules if r.root not in ("kind", "type")]
        self._known: dict[tuple[Any, Any], frozenset[str] | None] = {}
        self._plans: dict[tuple[str, ...] | None, tuple[list[tuple[FieldRule, tuple[str, ...]]], ...]] = {}
        self._ns = NAMESPACE.bytes

    def _fields_of(self, kind: Any, typ: Any) -> frozenset[str] | None:
        """The top-level fields of the record's model (None: unknown kind/type, keep everything)."""
        key = (kind, typ)
        if key not in self._known:
            model: Any = None
            if kind == "approval_event":
                model = protocol.EVENT_MODELS.get(typ) if isinstance(typ, str) else None
            elif isinstance(kind, str):
                model = protocol.KIND_MODELS.get(kind)
            self._known[key] = frozenset(model.model_fields) if model is not None else None
        return self._known[key]

    # -- columns -------------------------------------------------------------------------
    def wanted_columns(self) -> set[str]:
        return {c for r in self.rules for c in r.columns}

    def required_columns(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(r.name, r.columns) for r in self.rules if r.required and r.columns]

    def missing_columns(self, headers: list[str]) -> list[str]:
        """Required columns absent from the header row (each named by its first alternative)."""
        have = set(headers)
        return [cols[0] for _, cols in self.required_columns() if not (set(cols) & have)]

    def match_score(self, headers: list[str]) -> int:
        """How well a header row fits this mapping: -1 if a required column is missing."""
        if self.format == "records" or self.missing_columns(headers):
            return -1
        return len(self.wanted_columns() & set(headers))

    # -- period ------------------------------------------------------------------------------
    def period_end_from_name(self, file_name: str) -> datetime | None:
        """End of the day named in the file name (e.g. 办件流水_2026-03-01.csv → 03-02 00:00)."""
        if self.period_pattern is None:
            return None
        m = self.period_pattern.search(file_name)
        if not m:
            return None
        try:
            day = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except (IndexError, ValueError):
            return None
        return datetime.combine(day + timedelta(days=1), time(0), self.tz)

    # -- rows ------------------------------------------------------------------------------
    def _plan(self, headers: list[str] | None) -> tuple[list[tuple[FieldRule, tuple[str, ...]]], ...]:
        """Per header row: each rule with the columns of it that the file has (looked up once per file)."""
        key = tuple(headers) if headers is not None else None
        plan = self._plans.get(key)
        if plan is None:
            have = set(headers) if headers is not None else None

            def cols(rule: FieldRule) -> tuple[str, ...]:
                return rule.columns if have is None else tuple(c for c in rule.columns if c in have)

            plan = ([(r, cols(r)) for r in self._deciding], [(r, cols(r)) for r in self._others])
            self._plans[key] = plan
        return plan

    def map_row(self, row: SourceRow, office: str, headers: list[str] | None = None) -> dict[str, Any]:
        """The protocol record for one row, validated with ``shared.protocol.parse_record``.

        Raises ``RowError`` naming the field and the column at fault.
        """
        cells = row.cells
        if "__error__" in cells:
            raise RowError("INVALID_FIELD", str(cells["__error__"]))
        record: dict[str, Any] = dict(cells) if self.format == "records" else {"kind": self.kind}
        used: dict[str, str] = {}
        deciding, others = self._plan(headers)
        try:
            # kind and type first: they decide which fields the record has, and rules for
            # other fields (an export row carries every column) are skipped unconverted.
            for rule, cols in deciding:
                self._apply(rule, cols, cells, record, used, office)
            known = self._fields_of(record.get("kind"), record.get("type"))
            for rule, cols in others:
                if known is not None and rule.root not in known:
                    continue
                if rule.plain and len(cols) == 1:
                    # The common case, kept cheap: one text column, no value table.
                    value = cells.get(cols[0])
                    if value.__class__ is str:
                        value = value.strip()
                        if value:
                            record[rule.name] = value
                            continue
                        if not rule.required:
                            continue
                self._apply(rule, cols, cells, record, used, office)
        except RowError as err:
            err.column = self._where(err.column, headers)
            raise
        # Send only fields the record's model knows: the server's digest of a record
        # (duplicate vs ID_CONFLICT) covers exactly what is sent.
        record = self._restrict(record)
        if not record.get("id"):
            record = {"id": self.record_id(office, record), **record}
        try:
            parsed = protocol.parse_record(record)
            self._check_not_future(parsed)
        except protocol.Rejection as r:
            root = (r.field or "").split(".")[0]
            column = used.get(r.field or "") or used.get(root) or self._column_of(root, cells)
            raise RowError(r.code, r.message, r.field, self._where(column, headers)) from None
        return record

    def _check_not_future(self, parsed: Any) -> None:
        """The server's FUTURE_TIMESTAMP, checked against this machine's clock (a typed 2062 for 2026)."""
        name = "received_at" if isinstance(parsed, protocol.Petition) else "at"
        at = getattr(parsed, name, None)
        if at is None:
            return
        limit = datetime.now(UTC) + timedelta(seconds=protocol.FUTURE_TOLERANCE_SECONDS)
        if at > limit:
            raise protocol.Rejection(
                "FUTURE_TIMESTAMP",
                f"{name} {at.isoformat()} is more than 10 minutes after this computer's time "
                f"{datetime.now(self.tz).isoformat(timespec='seconds')}", name)

    def _column_of(self, field_name: str, cells: dict[str, Any]) -> str | None:
        for rule in self.rules:
            if rule.root == field_name:
                return next((c for c in rule.columns if c in cells), None)
        return None

    def _where(self, column: str | None, headers: list[str] | None) -> str | None:
        if column and headers and column in headers:
            return f"{column} ({column_letter(headers.index(column))})"
        return column

    def _apply(self, rule: FieldRule, cols: tuple[str, ...], cells: dict[str, Any], record: dict[str, Any],
               used: dict[str, str], office: str) -> None:
        raw: Any = None
        column = None
        for c in cols:
            value = cells.get(c)
            if value is not None:
                column, raw = c, value
                if not _blank(raw):
                    break
        if not rule.columns and rule.const is not None:
            raw = rule.const
        if _blank(raw):
            if rule.required:
                where = f"column {column or rule.columns[0]}" if rule.columns else "the mapping"
                raise RowError("MISSING_FIELD", f"{rule.name} is required ({where} is empty)", rule.name,
                               column or (rule.columns[0] if rule.columns else None))
            return
        if rule.values is not None:
            text = _text(raw)
            if text in rule.values:
                looked = rule.values[text]
                if isinstance(looked, dict):
                    for k, v in looked.items():
                        _set(record, k, v)
                        if column:
                            used[k] = column  # an error in a field set here points at this column
                    return
                raw = looked
            elif not rule.keep_unknown:
                known = "、".join(list(rule.values)[:12])
                raise RowError(
                    "INVALID_FIELD",
                    f"{rule.name}: {text!r} is not in the mapping's value table for {column or rule.name} "
                    f"(known: {known})",
                    rule.name,
                    column,
                )
        if rule.parse == "ref":
            _set(record, rule.name, self.ref_id(office, rule.ref, _text(raw)))
            if column:
                used[rule.name] = column
            return
        try:
            value = self._convert(rule.parse, raw)
        except ValueError as exc:
            raise RowError("INVALID_FIELD", f"{rule.name}: {exc}", rule.name, column) from None
        _set(record, rule.name, value)

    def _convert(self, parse: str, raw: Any) -> Any:
        if parse == "text":
            return raw.strip() if raw.__class__ is str else _text(raw)
        if parse == "datetime":
            return self.parse_datetime(raw)
        if parse == "int":
            return _integer(raw)
        if parse == "yuan_to_fen":
            return _yuan_to_fen(raw)
        if parse == "bool":
            return _text(raw).lower() in ("1", "true", "yes", "是", "y")
        raise ValueError(f"unknown parser {parse!r}")

    def parse_datetime(self, raw: Any) -> str:
        """An ISO 8601 instant with offset from an Excel date, an Excel serial number or text."""
        if isinstance(raw, datetime):
            value = raw if raw.tzinfo else raw.replace(tzinfo=self.tz)
            return _iso(value)
        if isinstance(raw, date):
            return _iso(datetime.combine(raw, time(0), self.tz))
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if 20_000 < raw < 80_000:  # an Excel serial day number (1954–2119)
                from openpyxl.utils.datetime import from_excel

                return _iso(from_excel(raw).replace(tzinfo=self.tz))
            raise ValueError(f"{raw!r} is not a date and time")
        result: str = self._parse_dt(_text(raw))
        return result

    def _parse_datetime_text(self, text: str) -> str:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            value = None
            for fmt in self.datetime_formats:
                try:
                    value = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if value is None:
            raise ValueError(f"{text!r} is not a date and time (expected e.g. 2026-03-01 09:30:00)")
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return _iso(value)

    def _restrict(self, record: dict[str, Any]) -> dict[str, Any]:
        """Keep only the fields the record's model knows (a value table may set extra ones)."""
        known = self._fields_of(record.get("kind"), record.get("type"))
        if known is None or record.keys() <= known:
            return record
        return {k: v for k, v in record.items() if k in known}

    def ref_id(self, office: str, system: str, local_number: str) -> str:
        """The id of the record another export of ``system`` calls ``local_number`` (a petition's
        信访编号): the same uuid5 wherever it is named, so a petition's events find it."""
        return _uuid5(self._ns, "\x1f".join([office, system, "ref", local_number]))

    def record_id(self, office: str, record: dict[str, Any]) -> str:
        """uuid5 of office, source system and the row's key fields: stable across re-exports."""
        if self.key:
            parts = [_key_text(_get(record, k)) for k in self.key]
        else:
            import json

            parts = [json.dumps({k: v for k, v in record.items() if k != "id"}, sort_keys=True, ensure_ascii=False)]
        return _uuid5(self._ns, "\x1f".join([office, self.system, *parts]))


def _uuid5(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(ns, name))`` without building UUID objects (a quarter of the cost per row)."""
    digest = bytearray(hashlib.sha1(namespace + name.encode()).digest()[:16])  # noqa: S324 - RFC 4122 v5
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# -- value helpers ------------------------------------------------------------------------


def _blank(raw: Any) -> bool:
    if raw is None:
        return True
    if raw.__class__ is str:
        return raw == "" or raw.isspace()
    return False


def _text(raw: Any) -> str:
    """A cell as text; Excel numbers come back without a spurious ``.0`` (case numbers, ids)."""
    if raw.__class__ is str:
        return raw.strip()
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    return str(raw).strip()


def _integer(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    try:
        value = Decimal(_text(raw).replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{_text(raw)!r} is not a whole number") from None
    if value != value.to_integral_value():
        raise ValueError(f"{_text(raw)!r} is not a whole number")
    return int(value)


def _yuan_to_fen(raw: Any) -> int:
    text = _text(raw).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    try:
        # Through Decimal of the text, never float arithmetic: 0.1 + 0.2 must be 30 fen.
        value = Decimal(text) * 100
    except InvalidOperation:
        raise ValueError(f"{_text(raw)!r} is not an amount in yuan") from None
    if value != value.to_integral_value():
        raise ValueError(f"{_text(raw)!r} yuan has fractions of a fen")
    return int(value)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds" if not value.microsecond else "microseconds")


def _key_text(value: Any) -> str:
    return "" if value is None else str(value)


def _get(record: dict[str, Any], dotted: str) -> Any:
    if "." not in dotted:
        return record.get(dotted)
    cur: Any = record
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _set(record: dict[str, Any], dotted: str, value: Any) -> None:
    if "." not in dotted:
        record[dotted] = value
        return
    parts = dotted.split(".")
    cur = record
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value


# -- loading ------------------------------------------------------------------------------


def _timezone(text: str) -> timezone:
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text.strip())
    if not m:
        raise MappingError(f"timezone {text!r} must look like +08:00")
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return timezone(-delta if m.group(1) == "-" else delta)


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; ``MappingError`` says what is wrong and where."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: {exc}") from None
    return mapping_from_dict(data, path)


def mapping_from_dict(data: dict[str, Any], path: Path | None = None) -> Mapping:
    where = str(path) if path else "mapping"
    head = data.get("mapping")
    if not isinstance(head, dict):
        raise MappingError(f"{where}: needs a [mapping] table with name and system")
    name = head.get("name") or (path.stem if path else None)
    system = head.get("system")
    if not isinstance(name, str) or not isinstance(system, str) or not system:
        raise MappingError(f"{where}: [mapping] needs name and system (the source system's id)")
    fmt = head.get("format", "table")
    if fmt not in ("table", "records"):
        raise MappingError(f"{where}: format must be 'table' or 'records'")
    kind = head.get("kind", "approval_event")
    if kind not in protocol.RECORD_KINDS:
        raise MappingError(f"{where}: kind {kind!r} is not one of {', '.join(protocol.RECORD_KINDS)}")
    pattern = head.get("period_from_filename")
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise MappingError(f"{where}: period_from_filename is not a regular expression ({exc})") from None
    tables = data.get("values", {})
    rules = []
    for fname, spec in (data.get("fields") or {}).items():
        if isinstance(spec, str):
            spec = {"column": spec}
        if not isinstance(spec, dict):
            raise MappingError(f"{where}: fields.{fname} must be a column name or a table")
        columns = spec.get("column", ())
        columns = (columns,) if isinstance(columns, str) else tuple(columns)
        parse = spec.get("parse", "text")
        if parse not in PARSERS:
            raise MappingError(f"{where}: fields.{fname}.parse must be one of {', '.join(PARSERS)}")
        values = spec.get("values")
        if isinstance(values, str):
            if values not in tables:
                raise MappingError(f"{where}: fields.{fname} names value table {values!r}, which [values] lacks")
            values = tables[values]
        if values is not None and not isinstance(values, dict):
            raise MappingError(f"{where}: fields.{fname}.values must be a table")
        unknown = spec.get("unknown", "reject")
        if unknown not in ("reject", "keep"):
            raise MappingError(f"{where}: fields.{fname}.unknown must be 'reject' or 'keep'")
        if not columns and "value" not in spec:
            raise MappingError(f"{where}: fields.{fname} needs a column or a fixed value")
        ref = spec.get("ref", "")
        if (parse == "ref") != bool(ref) or not isinstance(ref, str):
            raise MappingError(f"{where}: fields.{fname}: parse = \"ref\" goes with ref = \"<source system>\"")
        rules.append(FieldRule(
            name=fname, columns=columns, const=spec.get("value"), parse=parse,
            values={str(k): v for k, v in values.items()} if values is not None else None,
            keep_unknown=unknown == "keep", required=bool(spec.get("required", False)), ref=ref,
        ))
    if fmt == "table" and not rules:
        raise MappingError(f"{where}: a table mapping needs [fields]")
    formats = head.get("datetime_formats")
    return Mapping(
        name=name, system=system, path=path, title=str(head.get("title", "")), format=fmt, kind=kind,
        tz=_timezone(head.get("timezone", "+08:00")),
        datetime_formats=tuple(formats) if formats else DEFAULT_DATETIME_FORMATS,
        key=tuple(head.get("key", ())), period_pattern=compiled, sheet=head.get("sheet"), rules=rules,
    )


def mapping_dirs(home: Path | None = None) -> list[Path]:
    """Where mappings are looked up: the user's own (``<sync home>/mappings``) first, then the shipped ones."""
    dirs = []
    if home is not None:
        dirs.append(home / "mappings")
    dirs.append(SHIPPED_DIR)
    return dirs


def available_mappings(home: Path | None = None) -> dict[str, Mapping]:
    found: dict[str, Mapping] = {}
    for d in mapping_dirs(home):
        for f in sorted(d.glob("*.toml")) if d.is_dir() else []:
            m = load_mapping(f)
            found.setdefault(m.name, m)
    return found


def find_mapping(name_or_path: str, home: Path | None = None) -> Mapping:
    """A mapping by name (``banjian``) or by path to a ``.toml`` file."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.is_file():
        return load_mapping(p)
    mappings = available_mappings(home)
    if name_or_path in mappings:
        return mappings[name_or_path]
    raise MappingError(f"no mapping named {name_or_path!r} (available: {', '.join(sorted(mappings)) or 'none'})")


def guess_mapping(headers: list[str], file_format: str, home: Path | None = None) -> Mapping | None:
    """The mapping whose columns best fit the header row (JSON lines: the records mapping)."""
    mappings = list(available_mappings(home).values())
    if file_format == "jsonl":
        return next((m for m in mappings if m.format == "records"), None)
    scored = [(m.match_score(headers), m.name, m) for m in mappings]
    scored = [s for s in scored if s[0] > 0]
    return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None
