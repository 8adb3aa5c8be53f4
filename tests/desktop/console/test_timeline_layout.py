"""The case timeline stays legible when events bunch up and the pane is narrow.

Rendered under Xvfb with ``grab()`` and measured: the labels of events that fall within one
day do not intersect, every label and legend entry lies inside the widget, and the pixels at
the widget's right edge in the legend band carry no text (the legend is not cut off).
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QScrollArea

from desktop.console.timeline import WORKDAY, NodeRow, Timeline, TimelineWidget
from shared.timeutil import HOUR, format_instant, local_day, parse_instant

T0 = parse_instant("2026-03-02T09:00:00+08:00")


def _timeline() -> Timeline:
    # Six events of one morning (received, accepted, three nodes, a fee) and a decision later.
    steps = [("received", None), ("accepted", None), ("node_completed", "review"), ("node_completed", "approve"),
             ("fee_charged", None), ("node_completed", "decide")]
    events: list[dict[str, Any]] = [{"id": str(i), "type": t, "node": n, "at": format_instant(T0 + i * HOUR // 4)}
                                    for i, (t, n) in enumerate(steps)]
    events.append({"id": "9", "type": "decided", "at": format_instant(T0 + 50 * HOUR), "result": "approved"})
    first, last = local_day(T0) - 1, local_day(T0) + 4
    nodes = [NodeRow("review", "初审", 1, T0, T0 + 24 * HOUR, T0 + HOUR // 2, None, False),
             NodeRow("approve", "审批", 2, T0, T0 + 48 * HOUR, T0 + HOUR, None, False),
             NodeRow("decide", "办结", 1, T0, T0 + 24 * HOUR, T0 + 2 * HOUR, None, False)]
    return Timeline(office="T01", case_no="2026-0000001", item=None, state="decided_approved",
                    as_of=T0 + 60 * HOUR, first_day=first, last_day=last,
                    day_kinds=dict.fromkeys(range(first, last + 1), WORKDAY), received=T0, counting_from=T0,
                    warn_at=None, due=T0 + 62 * HOUR, close_at=T0 + 50 * HOUR, used_hours=50.0, limit_days=5,
                    suspensions=[], nodes=nodes, events=events)


def _inside(rect: QRectF, widget: TimelineWidget) -> bool:
    return rect.left() >= 0 and rect.top() >= 0 and rect.right() <= widget.width() and \
        rect.bottom() <= widget.height()


@pytest.mark.parametrize("width", [420, 900])
def test_events_of_one_day_do_not_pile_up_and_the_legend_is_whole(qtbot: Any, width: int) -> None:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    view = TimelineWidget()
    scroll.setWidget(view)
    qtbot.addWidget(scroll)
    view.set_timeline(_timeline())
    scroll.resize(width, 300)
    scroll.show()
    qtbot.waitExposed(scroll)
    qtbot.waitUntil(lambda: view.width() > 0)
    picture = view.grab().toImage()  # paints: the rectangles are where the text went
    labels = view.event_label_rects
    assert len(labels) == 7
    for i, a in enumerate(labels):
        assert _inside(a, view), f"event label {i} {a} runs off the {view.width()}×{view.height()} widget"
        for j, b in enumerate(labels[i + 1:], i + 1):
            assert not a.intersects(b), f"event labels {i} and {j} overlap: {a} {b}"
    lines = view.line_label_rects
    assert len(lines) == 2, "as of and due"
    assert not lines[0].intersects(lines[1]), f"the as-of and due names overlap: {lines}"
    assert len(view.legend_rects) == 7
    for i, a in enumerate(view.legend_rects):
        assert _inside(a, view), f"legend entry {i} {a} is cut off at width {view.width()}"
        assert not any(a.intersects(b) for b in view.legend_rects[i + 1:])
    # Pixels: nothing drawn in the last columns of the legend band (a legend running off the
    # edge leaves its letters there).
    band = (int(min(r.top() for r in view.legend_rects)), int(max(r.bottom() for r in view.legend_rects)))
    background = picture.pixelColor(picture.width() - 1, band[0])
    inked = [(x, y) for x in range(picture.width() - 3, picture.width()) for y in range(*band)
             if abs(picture.pixelColor(x, y).lightness() - background.lightness()) > 60]
    assert inked == [], "legend text reaches the right edge"
