"""Shared domain code every TWTC function deploys with (the `shared` Lambda layer)."""
