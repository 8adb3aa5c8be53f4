"""The case report: one investigation printed to PDF (A4, Chinese text embedded) through
``desktop.common.pdf.write_pdf``.

A cover (title, subject, stage, dates, investigators), then the stage history, the timeline,
the evidence list with each file's whole SHA-256 and who attached it when (superseded
documents marked, and the console's own check of the copy kept here), the reviewers'
opinions with dissent kept as it was given, and a signature block. The HTML is built on the UI
thread from the case file already read; printing runs in the background.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.common.pdf import PAGE_BREAK, write_pdf
from desktop.console import labels
from desktop.console.investigations.casefile import _entry_text, check_text, size_text, when
from desktop.console.labels import fmt
from desktop.replica.investigations import CaseFile

translate = QCoreApplication.translate

_STYLE = """
<style>
h1 { font-size: 20pt; text-align: center; margin-top: 40px; }
h2 { font-size: 13pt; border-bottom: 1px solid #444; margin-top: 18px; }
td, th { padding: 3px 6px; }
th { background: #e8e8e8; text-align: left; }
.mono { font-family: monospace; font-size: 8pt; }
.dissent { color: #b00020; font-weight: bold; }
.muted { color: #666666; }
</style>
"""



def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if not rows:
        none = translate("CaseReport", "None.")
        body = f"<tr><td colspan='{len(headers)}' class='muted'>{escape(none)}</td></tr>"
    return (f"<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse: collapse'>"
            f"<tr>{head}</tr>{body}</table>")


def case_report(file: CaseFile, checks: dict[str, str]) -> tuple[str, str]:
    """(the report's HTML, its title) for one case file."""
    inv = file.inv
    title = str(inv.get("title") or "")
    raw_subject = inv.get("subject")
    subject: dict[str, Any] = raw_subject if isinstance(raw_subject, dict) else {}
    status = str(inv.get("status") or "open")
    stage = labels.stage(str(inv.get("stage"))) if status == "open" else labels.stage(status)
    cover_rows = [
        (translate("CaseReport", "Case"), title),
        (translate("CaseReport", "Subject"), str(subject.get("name") or "")),
        (translate("CaseReport", "Unit"), str(subject.get("unit") or "")),
        (translate("CaseReport", "Position"), str(subject.get("title") or "")),
        (translate("CaseReport", "Stage"), stage),
        (translate("CaseReport", "Opened"), f"{when(inv.get('created_at'))} · {inv.get('created_by') or ''}"),
        (translate("CaseReport", "Last change"), when(inv.get("updated_at"))),
        (translate("CaseReport", "Investigators"), ", ".join(inv.get("investigators") or ())),
        (translate("CaseReport", "Reviewers"), ", ".join(inv.get("reviewers") or ()) or "—"),
        (translate("CaseReport", "Filing approved by"), str(inv.get("filing_approved_by") or "—")),
        (translate("CaseReport", "Case number"), str(inv.get("id") or "")),
    ]
    cover = "".join(f"<tr><td width='28%'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in cover_rows)
    history = [[escape(when(t.get("at"))), escape(str(t.get("actor") or "")), escape(_entry_text(t))]
               for t in file.timeline if t.get("action") in ("create", "transition", "approve_filing")]
    timeline = [[escape(when(t.get("at"))), escape(str(t.get("actor") or "")),
                 escape(labels.action(str(t.get("action")))), escape(_entry_text(t))] for t in file.timeline]
    evidence = []
    for e in file.evidence:
        sha = str(e.get("sha256") or "")
        chain = []
        if e.get("supersedes"):
            chain.append(fmt(translate("CaseReport", "corrects %1"), str(e["supersedes"])[:16] + "…"))
        if e.get("superseded_by"):
            chain.append(fmt(translate("CaseReport", "superseded by %1"), str(e["superseded_by"])[:16] + "…"))
        check = check_text({**e, "check": checks.get(sha)})
        evidence.append([
            escape(labels.evidence_kind(e.get("kind"))),
            escape(str(e.get("filename") or "")) + ("<br><span class='muted'>" + escape("；".join(chain))
                                                     + "</span>" if chain else ""),
            escape(f"{e.get('attached_by') or ''} · {when(e.get('attached_at'))}"),
            escape(size_text(e.get("size"))),
            f"<span class='mono'>{escape(sha)}</span><br><span class='muted'>{escape(check)}</span>",
        ])
    opinions = [[escape(str(o.get("reviewer") or "")),
                 (f"<span class='dissent'>{escape(labels.opinion(o.get('opinion')))}</span>"
                  if o.get("opinion") == "disagree" else escape(labels.opinion(o.get("opinion")))),
                 escape(when(o.get("at"))), escape(str(o.get("text") or ""))] for o in file.opinions]
    awaited = ""
    if file.awaited:
        awaited = "<p class='muted'>" + escape(fmt(translate("CaseReport", "Awaited: %1"), ", ".join(file.awaited))) \
            + "</p>"
    signature, date = translate("CaseReport", "Signature"), translate("CaseReport", "Date")
    signers = (translate("CaseReport", "Investigator"), translate("CaseReport", "Reviewer"),
               translate("CaseReport", "Leader in charge"))
    signatures = "".join(f"<tr><td width='30%'><b>{escape(role)}</b></td><td width='40%'>{escape(signature)}：</td>"
                         f"<td>{escape(date)}：</td></tr>" for role in signers)
    at, by = translate("CaseReport", "At"), translate("CaseReport", "By")
    heads = {
        "report": translate("CaseReport", "Investigation case report"),
        "history": translate("CaseReport", "Stage history"),
        "opinions": translate("CaseReport", "Opinions of the reviewers"),
        "evidence": translate("CaseReport", "Evidence"),
        "timeline": translate("CaseReport", "Timeline"),
        "signatures": translate("CaseReport", "Signatures"),
    }
    html = (
        _STYLE
        + f"<h1>{escape(heads['report'])}</h1>"
        + f"<p align='center' style='font-size: 14pt'><b>{escape(title)}</b></p>"
        + "<table border='1' cellspacing='0' cellpadding='4' width='100%' style='border-collapse: collapse'>"
        + cover + "</table>"
        + f"<h2>{escape(heads['history'])}</h2>"
        + _table([at, by, translate("CaseReport", "Step")], history)
        + f"<h2>{escape(heads['opinions'])}</h2>"
        + _table([translate("CaseReport", "Reviewer"), translate("CaseReport", "Opinion"), at,
                  translate("CaseReport", "Reasons")], opinions) + awaited
        + PAGE_BREAK
        + f"<h2>{escape(heads['evidence'])}</h2>"
        + _table([translate("CaseReport", "Kind"), translate("CaseReport", "File"), translate("CaseReport", "Attached"),
                  translate("CaseReport", "Size"), "SHA-256"], evidence)
        + f"<h2>{escape(heads['timeline'])}</h2>"
        + _table([at, by, translate("CaseReport", "Action"), translate("CaseReport", "Details")], timeline)
        + f"<h2>{escape(heads['signatures'])}</h2>"
        + "<table border='1' cellspacing='0' cellpadding='14' width='100%' style='border-collapse: collapse'>"
        + signatures + "</table>"
    )
    return html, fmt(translate("CaseReport", "Case report: %1"), title)


def write(html: str, path: Path, title: str) -> Path:
    """Print the report (any thread)."""
    return write_pdf(html, path, title=title)
