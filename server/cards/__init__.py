"""Cards (黄牌/红牌, spec 06 §4): tables, reads, the mutation store and routes."""
