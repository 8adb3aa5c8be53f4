"""Yingyan's domain: calendar, working-day clock, supervision rules and protocol schemas.

Nothing here may import Qt or a web framework: the server and the offline console both
build on this package and must compute the same results from the same data.
"""

__version__ = "0.1.0"
