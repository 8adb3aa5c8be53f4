"""A catalogue import in two steps, the same in ``yingyan admin`` and the console: check, then store.

``check_file`` reads the file (every mistake reported with its row, column and reason), then
asks the server's dry run what the import would change (and whether it finds anything the
file check did not); nothing is stored. ``ImportReport.ok`` says whether ``store`` may send
the items. Both steps block; the console runs them through ``desktop.common.tasks``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.admin.client import AdminApi
from shared.admin import CatalogueCheck
from shared.catalogue_io import CatalogueFileError, Problem, Progress, read_catalogue


@dataclass
class ImportReport:
    """What a dry run found: the items read, every problem, and what the server would change."""

    file: str
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    check: CatalogueCheck | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.check is not None and bool(self.items)


def check_file(api: AdminApi, path: str | Path, *, progress: Progress | None = None,
               items: list[dict[str, Any]] | None = None) -> ImportReport:
    """Read and check ``path`` (or the given ``items``, e.g. the demo catalogue); stores nothing."""
    report = ImportReport(file=str(path))
    if items is None:
        try:
            read = read_catalogue(path, progress=progress)
        except CatalogueFileError as exc:
            report.problems = exc.problems
            return report
        items = read.items
        locate: Callable[[int | None, str | None], tuple[int | None, str | None]] = read.locate
    else:
        # Items given directly: a problem names the item (from 1) and the field.
        def locate(index: int | None, where: str | None) -> tuple[int | None, str | None]:
            return (index + 1 if index is not None else None), where
    report.items = items
    report.check = api.check_catalogue(items)
    for p in report.check.problems:
        row, column = locate(p.index, p.field)
        report.problems.append(Problem(row, column, p.message, p.code))
    return report


def store(api: AdminApi, report: ImportReport) -> dict[str, Any]:
    """Send the checked items (``PUT /catalogue``): one new catalogue version."""
    if not report.ok:
        raise ValueError("the catalogue has problems; nothing is imported until they are fixed")
    return api.put_catalogue(report.items)
