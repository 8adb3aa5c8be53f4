"""The console's local replica: SQLite fed by the change feed, plus the mutation outbox.

``store`` owns the schema and every write; ``sync`` drives the long-poll and the outbox
replay through the background-task helper; ``local`` says what an operator's action does
to an alert before the server confirms it.
"""
