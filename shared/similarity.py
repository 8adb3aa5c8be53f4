"""Merge suggestions for petitions (一信多投, 重复信访): which other petitions look like the same
complaint, on Chinese text.

Chinese is written without spaces, so word-token scorers (``rapidfuzz``'s token ratios split
on whitespace) see a whole petition as one token. This compares **character n-grams**
(single characters and bigrams) instead, weighted by how rare each is among the petitions
compared (TF-IDF, cosine), after normalising the text: full-width forms, punctuation, and numbers
written in words (八十元 and 80元 are the same amount). The subject is compared apart from
the content — the name (``赵某`` and ``赵某某`` name the same surname; ``赵某`` and ``李某`` do
not), and the unit — and its words are taken out of the content first, so that two
different complaints about the same person do not look alike merely because both name him.

The score (0–100) weighs content most: the same complaint reworded ranks above another
complaint about the same person, which ranks above a similar complaint about someone else.
``tests/shared/data/petition_pairs.json`` is the labelled set; ``bench/petition_similarity.py``
measures precision and recall of the top five against ``difflib``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

CONTENT_WEIGHT = 0.5
SUBJECT_WEIGHT = 0.5
#: Within the subject: the person counts more than the unit (a unit has many people).
NAME_SHARE = 0.7
#: Below this a candidate is not suggested at all.
MIN_SCORE = 35
#: From this score on, a suggestion is likely the same complaint (shown as such to the desk).
#: Chosen on sets made with other seeds than the benchmark's (the best F1 on seeds 7, 11, 23).
LIKELY_DUPLICATE = 58

_PLACEHOLDERS = "某xX*＊×"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
#: A number in words, when a measure follows it (八十元, 三次, 两亩): converted to digits.
_NUMBER_WORDS = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?=[元块亩次天日个户人平米年月间套份项万])")


def words_to_number(text: str) -> int | None:
    """A Chinese number in words (八十, 一百二十, 三万五千) as an integer; None if it is not one."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch == "零" and digit is None:  # 三百零五: a gap in the places, not a digit
            continue
        if ch in _DIGITS:
            if digit is not None:  # 一二 is not a number
                return None
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10_000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


def _numbers(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        value = words_to_number(m.group(0))
        return m.group(0) if value is None else str(value)

    return _NUMBER_WORDS.sub(repl, text)


def normalize(text: str) -> str:
    """Full-width forms folded, numbers in words as digits, only letters and digits kept."""
    text = _numbers(unicodedata.normalize("NFKC", text or "").lower())
    return "".join(ch for ch in text if ch.isalnum())


def ngrams(text: str, sizes: Sequence[int] = (1, 2)) -> Counter[str]:
    grams: Counter[str] = Counter()
    for n in sizes:
        grams.update(text[i : i + n] for i in range(len(text) - n + 1))
    if not grams and text:
        grams[text] += 1
    return grams


def name_similarity(a: str, b: str) -> float:
    """1 for the same name; 0.8 for the same name around a placeholder (赵某, 赵某某); 0.6 when
    one full name contains the other; else 0."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ca, cb = na.strip(_PLACEHOLDERS), nb.strip(_PLACEHOLDERS)
    if ca and ca == cb:
        return 0.8
    if min(len(ca), len(cb)) >= 2 and (ca in cb or cb in ca):
        return 0.6
    return 0.0


def unit_similarity(a: str, b: str) -> float:
    """1 for the same unit, else the Dice overlap of their character bigrams (城关镇国土所 and
    城关镇财政所 share only the town)."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ga, gb = set(ngrams(na, (2,))), set(ngrams(nb, (2,)))
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


@dataclass
class Doc:
    """A petition as the scorer reads it."""

    id: str
    name: str
    unit: str
    content: str
    grams: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, petition_id: str, subject: dict[str, Any] | None, content: str) -> Doc:
        subject = subject or {}
        name = str(subject.get("name") or "")
        unit = str(subject.get("unit") or "")
        text = normalize(content)
        # The subject is compared on its own: taken out of the content, two complaints about
        # the same person do not look alike merely because both name him.
        for word in sorted({normalize(name), normalize(unit)}, key=len, reverse=True):
            if len(word) >= 2:
                text = text.replace(word, "|")
        grams: Counter[str] = Counter()
        for part in text.split("|"):
            grams.update(ngrams(part))
        return cls(petition_id, name, unit, content, grams)


@dataclass(frozen=True)
class Suggestion:
    petition_id: str
    score: int
    #: Why, as codes the console translates: same_subject, similar_subject, same_unit,
    #: similar_unit, similar_content, likely_duplicate.
    why: tuple[str, ...]
    parts: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {"petition_id": self.petition_id, "score": self.score, "why": list(self.why), "parts": self.parts}


def _weights(docs: Iterable[Doc]) -> dict[str, float]:
    docs = list(docs)
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.grams.keys())
    n = len(docs)
    return {g: math.log((1 + n) / (1 + c)) + 1 for g, c in df.items()}


def _vector(grams: Counter[str], idf: dict[str, float]) -> tuple[dict[str, float], float]:
    vec = {g: (1 + math.log(c)) * idf.get(g, 1.0) for g, c in grams.items()}
    return vec, math.sqrt(sum(v * v for v in vec.values()))


def _cosine(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
    (va, na), (vb, nb) = a, b
    if not na or not nb:
        return 0.0
    if len(va) > len(vb):
        va, vb = vb, va
    return sum(w * vb.get(g, 0.0) for g, w in va.items()) / (na * nb)


def score_pair(query: Doc, other: Doc, content: float) -> Suggestion:
    """Combine content similarity (0–1) with the subjects' into one suggestion."""
    name = name_similarity(query.name, other.name)
    if name < 0.8:
        # A subject named in the other's text (a letter that names the official in its body).
        for a, b in ((query, other), (other, query)):
            core = normalize(a.name).strip(_PLACEHOLDERS)
            if len(core) >= 2 and core in normalize(b.content):
                name = max(name, 0.8)
    unit = unit_similarity(query.unit, other.unit)
    subject = NAME_SHARE * name + (1 - NAME_SHARE) * unit
    total = round(100 * (CONTENT_WEIGHT * content + SUBJECT_WEIGHT * subject))
    why = []
    if name >= 1.0:
        why.append("same_subject")
    elif name > 0:
        why.append("similar_subject")
    if unit >= 1.0:
        why.append("same_unit")
    elif unit >= 0.6:
        why.append("similar_unit")
    if content >= 0.3:
        why.append("similar_content")
    if total >= LIKELY_DUPLICATE:
        why.append("likely_duplicate")
    parts = {"subject": round(100 * name), "unit": round(100 * unit), "content": round(100 * content)}
    return Suggestion(other.id, total, tuple(why), parts)


def rank(query: Doc, pool: Sequence[Doc], *, limit: int = 5, min_score: int = MIN_SCORE) -> list[Suggestion]:
    """The ``limit`` petitions of ``pool`` most like ``query``, best first (the query itself excluded).

    Rare n-grams weigh more: the weights come from the pool and the query together, so the
    same words every petition uses (反映, 问题, 请求) count little."""
    others = [d for d in pool if d.id != query.id]
    idf = _weights([query, *others])
    qv = _vector(query.grams, idf)
    out = [score_pair(query, d, _cosine(qv, _vector(d.grams, idf))) for d in others]
    out = [s for s in out if s.score >= min_score]
    out.sort(key=lambda s: (-s.score, s.petition_id))
    return out[:limit]
