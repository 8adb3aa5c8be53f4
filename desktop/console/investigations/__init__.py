"""The investigations pane (案件管理): the list of cases by stage and one case file with its actions.

``hooks.attach(window)`` joins it to the console window; ``pane`` is the list beside the case
file (``casefile``), ``dialogs`` asks what an action needs, ``report`` prints a case to PDF.
Everything reads the replica through ``desktop.replica.investigations`` and acts through the
outbox, so it works the same with the server stopped.
"""
