"""The power catalogue (权力事项目录): power items, their procedure nodes and risk points.

Uploads are validated strictly so that an administrator gets a precise error naming the
item and field (``items[3].nodes[1].days: …``) instead of a catalogue the rules
misread later.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, model_validator

PSEUDO_NODES = ("accept", "decide")
PowerKind = Literal["licensing", "penalty", "levy", "confirmation", "inspection", "other"]
Code = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Text = Annotated[StrictStr, Field(max_length=2000)]
Days = Annotated[StrictInt, Field(ge=0, le=3650)]


class Risk(BaseModel):
    """An integrity risk point (廉政风险点) on a node."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    level: Annotated[StrictInt, Field(ge=1, le=3)]
    point: Annotated[StrictStr, Field(min_length=1, max_length=500)]
    measure: Annotated[StrictStr, Field(max_length=2000)] = ""


class Node(BaseModel):
    """A procedure node (办理环节) with its own limit in working days."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Code
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    days: Days | None = None
    post: Annotated[StrictStr, Field(max_length=200)] | None = None
    risk: Risk | None = None


class PowerItem(BaseModel):
    """One administrative power (行政职权) as the catalogue defines it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Code
    name: Annotated[StrictStr, Field(min_length=1, max_length=500)]
    department: Code
    department_name: Annotated[StrictStr, Field(max_length=200)] = ""
    """The department's name (e.g. 住房和城乡建设局); optional, for display."""
    kind: PowerKind = "other"
    legal_days: Days
    committed_days: Days | None = None
    warn_days: Days | None = None
    acceptance_days: Days = 5
    fee_fen: Annotated[StrictInt, Field(ge=0)] = 0
    legal_basis: Text = ""
    nodes: Annotated[list[Node], Field(max_length=100)] = []
    separate_duties: Annotated[list[tuple[Code, Code]], Field(max_length=100)] = []

    @model_validator(mode="after")
    def _consistent(self) -> PowerItem:
        if self.committed_days is not None and self.committed_days > self.legal_days:
            raise ValueError(
                f"committed_days ({self.committed_days}) exceeds legal_days ({self.legal_days})"
            )
        codes = [n.code for n in self.nodes]
        seen: set[str] = set()
        for code in codes:
            if code in PSEUDO_NODES:
                raise ValueError(f"node code {code!r} is reserved for the acceptance/decision step")
            if code in seen:
                raise ValueError(f"node code {code!r} appears twice")
            seen.add(code)
        for a, b in self.separate_duties:
            for code in (a, b):
                if code not in seen and code not in PSEUDO_NODES:
                    raise ValueError(f"separate_duties names {code!r}, which is not a node of this item")
            if a == b:
                raise ValueError(f"separate_duties pair [{a!r}, {b!r}] names one step twice")
        return self

    @property
    def limit_days(self) -> int:
        """The case clock's limit: committed days, or legal days when that is 0 or absent."""
        return self.committed_days or self.legal_days

    def node(self, code: str) -> Node | None:
        for n in self.nodes:
            if n.code == code:
                return n
        return None

    def node_index(self) -> dict[str, int]:
        return _node_index(tuple(n.code for n in self.nodes))


@lru_cache(maxsize=8192)
def _node_index(codes: tuple[str, ...]) -> dict[str, int]:
    return {code: i for i, code in enumerate(codes)}


class CatalogueError(ValueError):
    """A catalogue upload with problems; ``problems`` lists each with its location."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:20]))
        self.problems = problems


def _loc(prefix: str, loc: tuple[Any, ...]) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_catalogue(items: object, *, max_items: int = 50_000) -> list[PowerItem]:
    """Validate an uploaded ``items`` list; raises ``CatalogueError`` with every problem."""
    if not isinstance(items, list):
        raise CatalogueError(["items: must be a list of power items"])
    if len(items) > max_items:
        raise CatalogueError([f"items: at most {max_items} power items per upload; got {len(items)}"])
    parsed: list[PowerItem] = []
    problems: list[str] = []
    codes: dict[str, int] = {}
    for i, raw in enumerate(items):
        try:
            item = PowerItem.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                problems.append(f"{_loc(f'items[{i}]', tuple(err['loc']))}: {err['msg']}")
            continue
        if item.code in codes:
            problems.append(f"items[{i}].code: {item.code!r} already appears at items[{codes[item.code]}]")
            continue
        codes[item.code] = i
        parsed.append(item)
    if problems:
        raise CatalogueError(problems)
    return parsed
