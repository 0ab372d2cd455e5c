"""The admin stats shapes (spec §4): one day's figures, read from its snapshot or live counters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from twtc_core.ledger import EntryType
from twtc_core.stats import DayStats, Metric

COIN_TYPES = (
    EntryType.SIGNUP_BONUS,
    EntryType.MINING,
    EntryType.BOOST,
    EntryType.TASK,
    EntryType.TASK_BONUS,
    EntryType.REFERRAL,
    EntryType.CALL_EARNING,
)
FRAUD_PREFIX = Metric.fraud("")
DAY_EXAMPLE: JsonDict = {
    "date": "2026-11-24",
    "closed": True,
    "dau": 1840,
    "new_users": 112,
    "coins_distributed_by_type": {"MINING": 9_200_000, "TASK": 1_310_000, "TASK_BONUS": 450_000},
    "coins_spent_on_calls": 2_250_000,
    "ads_watched": 9_870,
    "tasks_assigned": 31_200,
    "tasks_completed": 18_020,
    "task_completion_rate": 0.5776,
    "daily_bonuses": 90,
    "mining_sessions": 4_410,
    "boosts": 2_980,
    "call_minutes_billed": 2_250,
    "withdrawals": 14,
    "fraud_events_by_type": {"device_reuse": 3},
}


class DayStatsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DAY_EXAMPLE]})

    date: str
    closed: bool = Field(description="True: the day's immutable snapshot; false: today's live counters.")
    dau: int = Field(description="Users active that day (counted once each).")
    new_users: int
    coins_distributed_by_type: dict[str, int] = Field(description="Minor units credited, by entry type.")
    coins_spent_on_calls: int
    ads_watched: int
    tasks_assigned: int
    tasks_completed: int
    task_completion_rate: float = Field(description="tasks_completed / tasks_assigned (0 when none).")
    daily_bonuses: int
    mining_sessions: int
    boosts: int
    call_minutes_billed: int
    withdrawals: int
    fraud_events_by_type: dict[str, int]

    @classmethod
    def of(cls, stats: DayStats) -> DayStatsOut:
        assigned, completed = stats.get(Metric.TASKS_ASSIGNED), stats.get(Metric.TASKS_COMPLETED)
        coins = {kind.value: stats.get(Metric.coins(kind)) for kind in COIN_TYPES}
        coins.update(
            {
                name.removeprefix(Metric.coins("")): value
                for name, value in stats.totals.items()
                if name.startswith(Metric.coins(""))
            }
        )
        return cls(
            date=stats.day,
            closed=stats.closed,
            dau=stats.get(Metric.USERS_ACTIVE),
            new_users=stats.get(Metric.NEW_USERS),
            coins_distributed_by_type=coins,
            coins_spent_on_calls=stats.get(Metric.COINS_SPENT_ON_CALLS),
            ads_watched=stats.get(Metric.ADS_WATCHED),
            tasks_assigned=assigned,
            tasks_completed=completed,
            task_completion_rate=round(completed / assigned, 4) if assigned else 0.0,
            daily_bonuses=stats.get(Metric.DAILY_BONUSES),
            mining_sessions=stats.get(Metric.MINING_SESSIONS),
            boosts=stats.get(Metric.BOOSTS),
            call_minutes_billed=stats.get(Metric.CALL_MINUTES_BILLED),
            withdrawals=stats.get(Metric.WITHDRAWALS),
            fraud_events_by_type={
                name.removeprefix(FRAUD_PREFIX): value
                for name, value in stats.totals.items()
                if name.startswith(FRAUD_PREFIX)
            },
        )


class StatsSeriesOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [DAY_EXAMPLE]}]})

    items: list[DayStatsOut] = Field(description="One per day, oldest first.")
