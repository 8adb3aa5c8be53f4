"""The console's look: Fusion with a dark palette for wall screens (the default), or light.

A monitoring centre runs the console on large screens in a dim room for hours: dark
backgrounds, high-contrast text, and colour kept for meaning (red and yellow signals).
CJK text uses Noto Sans CJK / Microsoft YaHei when present, so Chinese never falls back to
a bitmap font.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

DARK = {
    "window": "#0d1117", "base": "#0d1117", "alt": "#161b22", "text": "#e6edf3", "button": "#21262d",
    "highlight": "#1f6feb", "mid": "#30363d", "muted": "#8b949e", "link": "#58a6ff",
}

#: an input field's well and edge on the dark theme
FIELD = "#161b22"
FIELD_EDGE = "#6e7681"

CJK_FAMILIES = ("Noto Sans CJK SC", "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei")


def ui_font(point_size: float = 10.0) -> QFont:
    families = set(QFontDatabase.families())
    font = QFont()
    chosen = [f for f in CJK_FAMILIES if f in families]
    if chosen:
        font.setFamilies(["Noto Sans", *chosen] if "Noto Sans" in families else chosen)
    font.setPointSizeF(point_size)
    return font


def apply(app: QApplication, dark: bool = True) -> None:
    app.setStyle("Fusion")
    app.setFont(ui_font())
    if not dark:
        app.setPalette(app.style().standardPalette())
        app.setStyleSheet("")
        return
    c = {k: QColor(v) for k, v in DARK.items()}
    pal = QPalette()
    role = QPalette.ColorRole
    pal.setColor(role.Window, c["window"])
    pal.setColor(role.WindowText, c["text"])
    pal.setColor(role.Base, c["base"])
    pal.setColor(role.AlternateBase, c["alt"])
    pal.setColor(role.ToolTipBase, c["alt"])
    pal.setColor(role.ToolTipText, c["text"])
    pal.setColor(role.Text, c["text"])
    pal.setColor(role.Button, c["button"])
    pal.setColor(role.ButtonText, c["text"])
    pal.setColor(role.BrightText, QColor("#ffffff"))
    pal.setColor(role.Highlight, c["highlight"])
    pal.setColor(role.HighlightedText, QColor("#ffffff"))
    pal.setColor(role.Link, c["link"])
    pal.setColor(role.PlaceholderText, c["muted"])
    pal.setColor(role.Mid, c["mid"])
    pal.setColor(role.Dark, QColor("#010409"))
    for group in (QPalette.ColorGroup.Disabled,):
        pal.setColor(group, role.Text, c["muted"])
        pal.setColor(group, role.ButtonText, c["muted"])
        pal.setColor(group, role.WindowText, c["muted"])
    app.setPalette(pal)
    app.setStyleSheet(
        "QToolTip { color: #e6edf3; background: #161b22; border: 1px solid #30363d; }"
        " QHeaderView::section { background: #161b22; color: #c9d1d9; border: 0; border-right: 1px solid #30363d;"
        " padding: 3px 6px; }"
        " QTableView { gridline-color: #21262d; selection-background-color: #1f6feb; }"
        " QDockWidget::title { background: #161b22; padding: 4px; }"
        " QStatusBar { background: #010409; }"
        " QTabBar::tab { background: #161b22; padding: 6px 14px; border: 1px solid #30363d; }"
        " QTabBar::tab:selected { background: #0d1117; border-bottom-color: #0d1117; }"
        # Fields on the dark ground must read as fields: a lighter well and a visible edge (a
        # password box the colour of its dialog was all but invisible, issue 15 #13).
        f" QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {{"
        f" background: {FIELD}; color: #e6edf3; border: 1px solid {FIELD_EDGE}; border-radius: 3px;"
        f" padding: 3px 6px; selection-background-color: #1f6feb; }}"
        " QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QSpinBox:focus,"
        " QDoubleSpinBox:focus, QDateEdit:focus { border: 1px solid #58a6ff; }"
        " QLineEdit:read-only { background: #0d1117; color: #8b949e; }"
        " QLineEdit:disabled, QComboBox:disabled { color: #6e7681; }"
        # Check boxes likewise: Fusion draws the box in the ground's colour (the desk's
        # "Anonymous" and "Overdue only" showed as bare words); checked, it is filled.
        f" QCheckBox::indicator {{ width: 13px; height: 13px; background: {FIELD};"
        f" border: 1px solid {FIELD_EDGE}; border-radius: 2px; }}"
        " QCheckBox::indicator:checked { background: #1f6feb; border: 1px solid #58a6ff; }"
        " QCheckBox::indicator:disabled { background: #0d1117; }"
    )
