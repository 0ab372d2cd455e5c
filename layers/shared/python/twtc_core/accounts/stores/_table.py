"""What every users-table store shares: the table, and the keys more than one aggregate uses."""

from __future__ import annotations

from twtc_core.settings import TABLES


class UsersTable:
    """PynamoDB `Meta` of every users-table model."""

    table_name = TABLES.users_table_name
    region = TABLES.aws_region


def user_key(user_id: str) -> str:
    return f"USER#{user_id}"
