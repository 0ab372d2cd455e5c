"""Reconciliation function: the daily `ledger-reconcile` schedule."""
