"""Wall layouts (1, 2×2, 3×3, 4×4, one-large-plus-N) and the named layouts each user saves.

A layout is a grid of ``rows × cols`` with cells that may span several grid squares. A
*saved view* is a layout plus which camera sits in which cell, stored per user as JSON in
the user data folder so it survives reinstalls and follows the Windows profile.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.common.paths import user_data_dir


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1

    @property
    def area(self) -> int:
        return self.row_span * self.col_span


@dataclass(frozen=True)
class Layout:
    name: str
    rows: int
    cols: int
    cells: tuple[Cell, ...]

    def __post_init__(self) -> None:
        if self.rows < 1 or self.cols < 1 or not self.cells:
            raise ValueError(f"layout {self.name!r}: needs at least one row, column and cell")
        taken: set[tuple[int, int]] = set()
        for cell in self.cells:
            if cell.row < 0 or cell.col < 0 or cell.row_span < 1 or cell.col_span < 1:
                raise ValueError(f"layout {self.name!r}: bad cell {cell}")
            if cell.row + cell.row_span > self.rows or cell.col + cell.col_span > self.cols:
                size = f"{self.rows}x{self.cols}"
                raise ValueError(f"layout {self.name!r}: cell {cell} lies outside the {size} grid")
            squares = {
                (r, c)
                for r in range(cell.row, cell.row + cell.row_span)
                for c in range(cell.col, cell.col + cell.col_span)
            }
            if squares & taken:
                raise ValueError(f"layout {self.name!r}: cell {cell} overlaps another cell")
            taken |= squares

    def __len__(self) -> int:
        return len(self.cells)

    def large_index(self) -> int:
        """The cell "show camera" uses: the largest one, the first on ties."""
        best = max(c.area for c in self.cells)
        return next(i for i, c in enumerate(self.cells) if c.area == best)

    def is_main_stream_cell(self, index: int) -> bool:
        """Whether a cell is big enough to deserve the main stream (otherwise the sub stream)."""
        cell = self.cells[index]
        return cell.row_span * 3 >= self.rows * 2 and cell.col_span * 3 >= self.cols * 2

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rows": self.rows,
            "cols": self.cols,
            "cells": [[c.row, c.col, c.row_span, c.col_span] for c in self.cells],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        return cls(
            name=str(data["name"]),
            rows=int(data["rows"]),
            cols=int(data["cols"]),
            cells=tuple(Cell(*(int(v) for v in cell)) for cell in data["cells"]),
        )


def grid(rows: int, cols: int | None = None) -> Layout:
    cols = rows if cols is None else cols
    name = "1" if rows == cols == 1 else f"{rows}x{cols}"
    return Layout(name, rows, cols, tuple(Cell(r, c) for r in range(rows) for c in range(cols)))


def large_plus(size: int, large: int) -> Layout:
    """A ``size × size`` grid whose top-left ``large × large`` squares form one big cell."""
    if not 1 <= large < size:
        raise ValueError("the large cell must be smaller than the grid")
    cells = [Cell(0, 0, large, large)]
    cells += [Cell(r, c) for r in range(size) for c in range(size) if r >= large or c >= large]
    return Layout(f"1+{len(cells) - 1}", size, size, tuple(cells))


PRESETS: dict[str, Layout] = {
    layout.name: layout
    for layout in (grid(1), grid(2), grid(3), grid(4), large_plus(3, 2), large_plus(4, 3), large_plus(4, 2))
}


def layout_by_name(name: str) -> Layout:
    """A preset (``1``, ``2x2``, ``3x3``, ``4x4``, ``1+5``, ``1+7``, ``1+12``) or any ``RxC`` grid."""
    key = name.strip().lower().replace("×", "x")
    if key in PRESETS:
        return PRESETS[key]
    match = re.fullmatch(r"(\d+)x(\d+)", key)
    if match and 1 <= int(match[1]) <= 8 and 1 <= int(match[2]) <= 8:
        return grid(int(match[1]), int(match[2]))
    raise ValueError(f"unknown layout {name!r}; known: {', '.join(PRESETS)} or RxC")


@dataclass
class SavedView:
    """A named wall: a layout, which camera each cell shows, and optional tours."""

    name: str
    layout: Layout
    cameras: list[str | None] = field(default_factory=list)
    # tour over the whole wall: camera ids cycled through the large cell (empty: none)
    tour: list[str] = field(default_factory=list)
    tour_seconds: float = 10.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "layout": self.layout.to_json(),
            "cameras": list(self.cameras),
            "tour": list(self.tour),
            "tour_seconds": self.tour_seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SavedView:
        return cls(
            name=str(data["name"]),
            layout=Layout.from_json(data["layout"]),
            cameras=[None if c is None else str(c) for c in data.get("cameras", [])],
            tour=[str(c) for c in data.get("tour", [])],
            tour_seconds=float(data.get("tour_seconds", 10.0)),
        )


class LayoutStore:
    """Named views of one user, kept in ``<user data>/video/views.json``.

    Written to a temporary file and renamed so a crash never leaves half a file behind.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_data_dir() / "video" / "views.json"

    def load_all(self) -> dict[str, SavedView]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, json.JSONDecodeError):
            # A damaged file must not stop the wall from starting; the user re-saves views.
            return {}
        views: dict[str, SavedView] = {}
        for entry in raw.get("views", []):
            try:
                view = SavedView.from_json(entry)
            except (KeyError, TypeError, ValueError):
                continue
            views[view.name] = view
        return views

    def names(self) -> list[str]:
        return sorted(self.load_all())

    def get(self, name: str) -> SavedView | None:
        return self.load_all().get(name)

    def save(self, view: SavedView) -> None:
        views = self.load_all()
        views[view.name] = view
        self._write(views)

    def delete(self, name: str) -> bool:
        views = self.load_all()
        if views.pop(name, None) is None:
            return False
        self._write(views)
        return True

    def _write(self, views: dict[str, SavedView]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        payload = {"version": 1, "views": [v.to_json() for v in sorted(views.values(), key=lambda v: v.name)]}
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
