"""Evidence blobs: content-addressed, streamed, hash-checked, never changed (spec 06 §1)."""
