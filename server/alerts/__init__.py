"""Alerts: raised and resolved by the rules, moved by operators."""
