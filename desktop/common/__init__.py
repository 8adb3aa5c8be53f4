"""Pieces the console's panes share: the background-task helper, the HTTPS API client, paths, sign-in."""
