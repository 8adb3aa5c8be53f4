"""Administration from an administrator's workstation: ``yingyan admin`` and the typed calls the
console's administration pane shares with it."""
