"""Erasure sweeper (EventBridge schedule `erasure-sweeper`): finishes erasures left pending."""
