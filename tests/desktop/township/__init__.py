"""Tests of the township sync agent (``yingyan sync``)."""
