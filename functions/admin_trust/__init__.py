"""Admin API for trust (spec §4, §9): the fraud review queue, resolving events, setting alert levels."""
