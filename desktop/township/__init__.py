"""The township sync agent (乡镇同步代理): pushes an office's exports to the county server.

Files exported by a township's approval system (CSV, XLSX, JSON lines) are mapped to
protocol records by a mapping file, validated locally with ``shared.protocol``, queued in a
durable SQLite outbox and pushed in ordered, idempotent batches (spec 03 §1). The command
line (``yingyan sync …``) is in ``cli``; the small window in ``window``.
"""
