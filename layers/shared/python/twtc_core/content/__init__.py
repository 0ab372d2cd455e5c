"""The content catalog (spec §4): tourism videos with their question, the quiz bank for QUIZ tasks and
the task types. One store per aggregate; each returns frozen records (models.py), never stored items."""
