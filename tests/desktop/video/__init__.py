"""Tests of the video wall (desktop/video)."""
