"""Fraud evaluator: the security table's stream of new activity → rules → fraud events → alert level."""
