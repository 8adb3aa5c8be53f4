"""The receipt slip a petitioner takes home: the receipt code and where to check progress.

It names no one — not the petitioner (the slip may be lost), nor the password they chose at
the counter (typed once, never printed). It is HTML printed by ``desktop.common.pdf``, on A6.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.common.pdf import write_pdf
from desktop.console import labels
from shared.timeutil import parse_instant_or_none, to_datetime


def grouped(code: str) -> str:
    """16 digits in groups of four, as people read them back over the phone."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def slip_html(petition: dict[str, Any], status_url: str) -> str:
    received = parse_instant_or_none(petition.get("received_at"))
    when = to_datetime(received).strftime("%Y-%m-%d %H:%M") if received is not None else ""
    title = QCoreApplication.translate("ReceiptSlip", "Petition receipt")
    code_label = QCoreApplication.translate("ReceiptSlip", "Receipt code")
    how = QCoreApplication.translate("ReceiptSlip", "Check the progress and the reply with this code and the "
                                                    "password you chose at the counter:")
    keep = QCoreApplication.translate("ReceiptSlip", "Keep this slip. Nobody will ask you for your password; "
                                                     "the desk cannot see it.")
    rows = [
        (QCoreApplication.translate("ReceiptSlip", "Received"), when),
        (QCoreApplication.translate("ReceiptSlip", "Channel"), labels.petition_channel(petition.get("channel"))),
        (QCoreApplication.translate("ReceiptSlip", "Category"), labels.petition_category(petition.get("category"))),
    ]
    table = "".join(f"<tr><td style='color:#555'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    code = grouped(str(petition.get("receipt_code") or ""))
    return (
        f"<h2 style='text-align:center'>{escape(title)}</h2>"
        f"<p style='text-align:center'>{escape(code_label)}</p>"
        f"<p style='text-align:center; font-size:20pt; font-weight:bold'>{escape(code)}</p>"
        f"<table cellpadding='3'>{table}</table>"
        f"<p>{escape(how)}<br/><b>{escape(status_url)}</b></p>"
        f"<p style='color:#555'>{escape(keep)}</p>"
    )


def write_slip(petition: dict[str, Any], status_url: str, path: Path) -> Path:
    """Print the slip to ``path`` (any thread)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    title = QCoreApplication.translate("ReceiptSlip", "Petition receipt")
    return write_pdf(slip_html(petition, status_url), path, title=title, page="A6",
                     margins_mm=8.0, point_size=9.0)
