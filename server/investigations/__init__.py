"""Investigations (案件管理): gated stages, locked evidence, joint review (spec 06 §2)."""
