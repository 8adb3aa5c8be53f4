"""Offices (township centres, department windows, the centre) and their watermarks."""
