"""Batch import from offices: validation, atomic storage, idempotency, summaries."""
