"""The tamper-evident audit log (留痕): a hash chain over every write."""
