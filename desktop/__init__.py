"""The Yingyan desktop: supervision console, video wall and the township agent's window."""
