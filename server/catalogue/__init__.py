"""The versioned power catalogue and the working-day calendar uploads."""
