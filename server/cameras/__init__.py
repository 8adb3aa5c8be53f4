"""Cameras of service-hall windows, configured by administrators, synced to consoles."""
