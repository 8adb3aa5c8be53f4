"""The change feed consoles replicate from, and the wake-up of long-polls."""
