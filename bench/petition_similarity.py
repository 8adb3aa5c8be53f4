"""Merge suggestions: precision and recall of the top five, ours beside plain ``difflib``.

    .venv/bin/python bench/petition_similarity.py

On the labelled set ``tests/shared/data/petition_pairs.json`` (``bench/make_petition_pairs.py``):
every petition is compared with all the others, as ``GET /petitions/{id}/similar`` does, and
the five best are its suggestions. A labelled pair (a, b) counts as *suggested* when b is
among a's five (at or above a score threshold, where one is given). Precision is the share
of suggested pairs that are the same complaint; recall the share of same-complaint pairs
suggested. ``difflib`` compares the subject's name and unit and the content as one string
(``SequenceMatcher.ratio``); its threshold is the one that gives it its best F1 on this set.
"""

from __future__ import annotations

import difflib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.similarity import LIKELY_DUPLICATE, Doc, rank

DATA = Path(__file__).resolve().parents[1] / "tests" / "shared" / "data" / "petition_pairs.json"
TOP = 5

Ranked = dict[str, list[tuple[str, float]]]


def load(path: Path = DATA) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def rank_ours(petitions: list[dict[str, Any]]) -> Ranked:
    docs = [Doc.of(p["id"], p["subject"], p["content"]) for p in petitions]
    return {d.id: [(s.petition_id, float(s.score)) for s in rank(d, docs, limit=TOP, min_score=0)] for d in docs}


def rank_difflib(petitions: list[dict[str, Any]]) -> Ranked:
    text = {p["id"]: f"{p['subject']['name']}{p['subject'].get('unit') or ''}{p['content']}" for p in petitions}
    out: Ranked = {}
    for p in petitions:
        scored = [(o["id"], 100 * difflib.SequenceMatcher(None, text[p["id"]], text[o["id"]]).ratio())
                  for o in petitions if o["id"] != p["id"]]
        scored.sort(key=lambda s: (-s[1], s[0]))
        out[p["id"]] = scored[:TOP]
    return out


@dataclass(frozen=True)
class Score:
    threshold: float
    precision: float
    recall: float
    suggested: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(ranked: Ranked, pairs: list[dict[str, Any]], threshold: float = 0.0) -> Score:
    hits = positives = suggested = 0
    for pair in pairs:
        same = pair["label"] == "duplicate"
        positives += same
        found = any(pid == pair["b"] and s >= threshold for pid, s in ranked[pair["a"]])
        suggested += found
        hits += found and same
    return Score(threshold, hits / suggested if suggested else 0.0, hits / positives if positives else 0.0, suggested)


def best(ranked: Ranked, pairs: list[dict[str, Any]]) -> Score:
    return max((score(ranked, pairs, t) for t in range(101)), key=lambda s: (s.f1, -s.threshold))


def timed(fn: Callable[[list[dict[str, Any]]], Ranked], petitions: list[dict[str, Any]]) -> tuple[Ranked, float]:
    start = time.perf_counter()
    ranked = fn(petitions)
    return ranked, time.perf_counter() - start


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA, help="a labelled set (default: the tests' own)")
    args = parser.parse_args()
    data = load(args.data)
    petitions, pairs = data["petitions"], data["pairs"]
    labels: dict[str, int] = {}
    for pair in pairs:
        labels[pair["label"]] = labels.get(pair["label"], 0) + 1
    print(f"{len(petitions)} petitions, {len(pairs)} labelled pairs {labels}; top {TOP} of all the others")
    ours, t_ours = timed(rank_ours, petitions)
    base, t_base = timed(rank_difflib, petitions)
    rows = [
        ("n-grams (ours), top 5", score(ours, pairs)),
        (f"n-grams (ours), top 5 with score ≥ {LIKELY_DUPLICATE} (likely_duplicate)",
         score(ours, pairs, LIKELY_DUPLICATE)),
        ("n-grams (ours), top 5 at its best-F1 threshold", best(ours, pairs)),
        ("difflib, top 5", score(base, pairs)),
        ("difflib, top 5 at its best-F1 threshold", best(base, pairs)),
    ]
    print("| method | threshold | precision | recall | F1 | pairs suggested |\n|---|---|---|---|---|---|")
    for name, s in rows:
        print(f"| {name} | {s.threshold:g} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.suggested} |")
    n = len(petitions)
    print(f"time to rank every petition against the others: ours {t_ours:.2f} s ({1000 * t_ours / n:.1f} ms per "
          f"petition), difflib {t_base:.2f} s ({1000 * t_base / n:.1f} ms); ours / difflib = {t_ours / t_base:.2f}")
    # Where a same-complaint pair was missed, and what ranked above it (for tuning by eye).
    missed = [p for p in pairs if p["label"] == "duplicate" and p["b"] not in {x for x, _ in ours[p["a"]]}]
    by_id = {p["id"]: p for p in petitions}
    for p in missed[:8]:
        print(f"missed: {by_id[p['a']]['content']}\n    vs: {by_id[p['b']]['content']}")


if __name__ == "__main__":
    main()
