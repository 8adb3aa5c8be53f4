"""Integrity-risk reminders (廉政风险提醒): an outbox delivered to the SMS gateway with retries."""
