"""Petitions (信访): protected identity, statutory clocks, public status checks."""
