"""Supervision notices (督办通知书, spec 06 §4): tables, reads, the store, replies, routes."""
