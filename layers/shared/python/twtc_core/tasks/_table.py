"""What every tasks-table store shares: the table and the per-user-day partition key."""

from __future__ import annotations

from twtc_core.settings import TABLES


class TasksTable:
    """PynamoDB `Meta` of every tasks-table model."""

    table_name = TABLES.tasks_table_name
    region = TABLES.aws_region


def user_day_key(user_id: str, day: str) -> str:
    return f"USER#{user_id}#DAY#{day}"
