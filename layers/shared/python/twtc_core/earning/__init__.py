"""Earning loop I (spec §4, §6): ad impressions, AdMob server-side verification, group mining windows and
4-hour mining sessions."""
