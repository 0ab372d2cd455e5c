"""What every earning-table store shares: the table (docs/access-patterns.md, "Earning")."""

from __future__ import annotations

from datetime import UTC, datetime

from twtc_core.settings import TABLES


class EarningTable:
    """PynamoDB `Meta` of every earning-table model."""

    table_name = TABLES.earning_table_name
    region = TABLES.aws_region


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
