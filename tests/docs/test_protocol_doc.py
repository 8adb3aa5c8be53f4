"""The integrator's reference (docs/protocol.md) names every route the server serves and every
action a client may send, and the project's documents link only to files inside the repository
(issue 10, done-when 6): a route or an action added without its documentation fails here."""

from __future__ import annotations

import re

import pytest

from server.app import create_app
from server.context import Context, Settings
from shared import actions
from tests.harness import ROOT, ServerProcess

PROTOCOL = ROOT / "docs" / "protocol.md"
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def served_routes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI document a freshly initialised server serves."""
    data_dir = tmp_path_factory.mktemp("protocol-doc") / "data"
    ServerProcess(data_dir).init()
    doc = create_app(Context(Settings.from_data_dir(data_dir))).openapi()
    return [(method.upper(), path) for path, ops in doc["paths"].items() for method in ops]


def test_every_served_route_is_in_the_protocol_reference(served_routes: list[tuple[str, str]]) -> None:
    lines = PROTOCOL.read_text(encoding="utf-8").splitlines()
    missing = [f"{method} {path}" for method, path in served_routes
               if not any(re.search(rf"{re.escape(path)}(?![\w/{{-])", line) and method in line for line in lines)]
    assert len(served_routes) > 40
    assert not missing, f"docs/protocol.md does not document: {missing}"


def test_every_action_a_client_may_send_is_in_the_protocol_reference() -> None:
    text = PROTOCOL.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### `(\w+)`\n(.*?)(?=^#{2,3} |\Z)", text, re.M | re.S))
    assert actions.ENTITIES, "no entity kinds registered"
    for name, kind in actions.ENTITIES.items():
        assert name in sections, f"docs/protocol.md has no section for entity {name!r}"
        public = [spec.name for spec in kind.actions.values() if not spec.internal]
        undocumented = [a for a in public if f"| `{a}` |" not in sections[name]]
        assert not undocumented, f"entity {name!r}: actions not in docs/protocol.md: {undocumented}"


DOCUMENTS = ["README.md", "BENCHMARKS.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_relative_link_resolves_inside_the_repository(document: str) -> None:
    path = ROOT / document
    broken = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor in the same page
        resolved = (path.parent / target.split("#")[0]).resolve()
        if not resolved.is_relative_to(ROOT.resolve()) or not resolved.exists():
            broken.append(target)
    assert not broken, f"{document} links to what a clone does not have: {broken}"


def test_the_readme_leads_a_newcomer_to_the_protocol_and_the_architecture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/protocol.md)" in readme
    assert "(docs/architecture.md)" in readme
    assert not re.search(r"\]\(\.\./", readme)

