"""Approval cases (办件), their events and citizen ratings."""
