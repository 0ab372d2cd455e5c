"""Referral worker: consumes the referral queue and credits rewards exactly once, within the limits."""
