"""Daily tasks (spec §4, §6): a user's 20 tasks of a UTC day, the videos they used for boosts that day,
and their achievements. Keys: docs/access-patterns.md ("Tasks table")."""
