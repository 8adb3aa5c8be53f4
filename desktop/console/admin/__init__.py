"""The console's administration pane (role ``admin``): users, offices, catalogue, calendar,
cameras, settings and the audit view, over the administration API (``desktop.admin.client``).

``hooks.attach`` is the console window's one entry point: it adds the pane for administrators
and the calendar notice (next year's holidays not loaded) for administrators and operators.
"""
