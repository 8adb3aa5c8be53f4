"""Boundary tests of every supervision rule, one file per rule family."""
