"""User administration: change roles and offices, disable, reset a password (admin only)."""
