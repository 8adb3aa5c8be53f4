"""The working-day calendar's state: which years are loaded, warnings, and what loading a year changes."""
