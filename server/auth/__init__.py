"""Users, roles and bearer tokens (people and office machines)."""
