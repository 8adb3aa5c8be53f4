"""Server settings an administrator may change (``shared.settings`` defines them)."""
