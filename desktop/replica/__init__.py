"""The console's local replica: SQLite fed by the change feed, the outbox of the operator's actions, and its reads.

``store.Replica`` is the handle; ``schema`` the file and its migrations; ``kind`` and
``entities`` the kinds of entity it holds (alerts, cases, reference data — new kinds plug in
there); ``feed`` applies change-feed pages; ``outbox`` queues actions and rebases rows on them;
``queries`` are the Qt-free reads the widgets run through the background-task helper;
``sync`` drives the long-poll and the outbox replay; ``local`` says what an operator's action
does to an alert before the server confirms it.
"""
