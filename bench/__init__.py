"""`make bench`: figures, not assertions (spec §12)."""
