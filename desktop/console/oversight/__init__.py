"""Oversight in the console: cards and supervision notices issued from the wall, the notices
tracker and the cards register, leader annotations (批阅), the leader's overview of the month's
figures and the evaluation report. ``hooks.attach(window)`` joins it to the console window."""
