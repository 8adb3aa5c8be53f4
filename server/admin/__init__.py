"""Administration: offices, the catalogue, the calendar, the simulated clock."""
