"""The mutation engine: every change a person makes, idempotent, conflict-aware, audited."""
