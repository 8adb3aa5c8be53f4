"""Merge suggestions on Chinese text (``shared.similarity``), and the labelled set they are measured on."""

from __future__ import annotations

import pytest

from bench import petition_similarity as bench
from shared.similarity import LIKELY_DUPLICATE, Doc, name_similarity, normalize, rank, unit_similarity, words_to_number

SUBJECT = {"name": "赵某", "unit": "城关镇市场监管所", "title": "窗口人员"}


def test_numbers_in_words_read_as_digits() -> None:
    assert [words_to_number(w) for w in ("八十", "十五", "一百二十", "三百零五", "两千", "三万五千")] == \
        [80, 15, 120, 305, 2000, 35_000]
    assert words_to_number("一二") is None
    assert normalize("多收了八十元，") == normalize("多收了 80 元。")
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert normalize("一起办事") == "一起办事", "a numeral with no measure after it is a word, not a number"


def test_placeholder_names_and_units() -> None:
    assert name_similarity("赵某", "赵某") == 1.0
    assert name_similarity("赵某", "赵某某") == 0.8
    assert name_similarity("赵某", "李某") == 0.0, "the placeholder 某 is no shared name"
    assert name_similarity("", "赵某") == 0.0
    assert unit_similarity("城关镇国土所", "城关镇国土所") == 1.0
    assert unit_similarity("城关镇国土所", "城关镇财政所") < 0.5, "the same town is not the same unit"


def test_the_same_complaint_reworded_ranks_first() -> None:
    query = Doc.of("a", SUBJECT, "反映城关镇市场监管所赵某办理食品经营许可时超标准收费八十元")
    pool = [
        Doc.of("reworded", {"name": "赵某", "unit": "城关镇市场监管所"},
               "城关镇市场监管所的赵某在食品经营许可中多收了80元费用"),
        Doc.of("same-person", SUBJECT, "赵某上班时间经常在办公室打牌，群众办事找不到人"),
        Doc.of("other-person", {"name": "钱某", "unit": "城关镇国土所"},
               "反映城关镇国土所钱某办理宅基地审批时超标准收费二百元"),
        Doc.of("same-surname", {"name": "赵某", "unit": "西山乡财政所"}, "西山乡财政所赵某克扣马村村民补贴三百元"),
    ]
    got = rank(query, [query, *pool], limit=5, min_score=0)
    assert [s.petition_id for s in got][:2] == ["reworded", "same-person"]
    assert got[0].score >= LIKELY_DUPLICATE
    assert "likely_duplicate" in got[0].why
    assert "same_subject" in got[0].why
    assert got[1].score < LIKELY_DUPLICATE, "another complaint about him is shown, not as a duplicate"
    assert all(s.petition_id != "a" for s in got), "never itself"
    shown = rank(query, [query, *pool])
    assert "other-person" not in [s.petition_id for s in shown], "below the minimum score nothing is suggested"


def test_empty_and_odd_text_do_not_break_the_scorer() -> None:
    odd = [Doc.of("e", {}, ""), Doc.of("n", None, "👁️‍🗨️ %s {0} <script>"), Doc.of("x", {"name": "某"}, "某")]
    for doc in odd:
        assert all(0 <= s.score <= 100 for s in rank(doc, odd, min_score=0))


@pytest.fixture(scope="module")
def labelled() -> dict:
    return bench.load()


def test_the_labelled_set_is_large_and_has_every_kind_of_pair(labelled: dict) -> None:
    pairs = labelled["pairs"]
    assert len(pairs) >= 300
    labels = {p["label"] for p in pairs}
    assert labels == {"duplicate", "same_subject", "other_subject"}
    ids = {p["id"] for p in labelled["petitions"]}
    assert all(p["a"] in ids and p["b"] in ids and p["a"] != p["b"] for p in pairs)
    by_id = {p["id"]: p for p in labelled["petitions"]}
    for p in pairs:
        same_cluster = by_id[p["a"]]["cluster"] == by_id[p["b"]]["cluster"]
        assert same_cluster == (p["label"] == "duplicate"), p


def test_suggestions_beat_difflib_on_the_labelled_set(labelled: dict) -> None:
    petitions, pairs = labelled["petitions"], labelled["pairs"]
    ours = bench.score(bench.rank_ours(petitions), pairs, LIKELY_DUPLICATE)
    difflib = bench.best(bench.rank_difflib(petitions), pairs)
    assert ours.precision > difflib.precision, (ours, difflib)
    assert ours.recall > difflib.recall, (ours, difflib)
    # Every same-complaint pair is among the five suggestions, before any threshold.
    assert bench.score(bench.rank_ours(petitions), pairs).recall == 1.0
