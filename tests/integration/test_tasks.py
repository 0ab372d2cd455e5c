"""Daily tasks through the real handler (moto): the day's set, server-timed completion, quiz answers,
the daily bonus and achievement, and the next UTC day."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bench.counting import counting
from local_runtime.seed import seed_content
from tests.support.tasks import complete, right_option, start, tasks_call, today, wrong_option
from tests.support.wallet_races import wallet_moves_before_next_transaction
from twtc_core.clock import Clock, utc_day
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.ids import derived_id
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.reconcile import reconcile
from twtc_core.security import SecurityStore
from twtc_core.stats import Metric, StatsStore
from twtc_core.tasks.day_tasks import DayTaskStore
from twtc_core.tasks.models import DayTask

ASHA = "6f1c9a2e-1111-4a5b-9c3d-0000000000a1"
BALA = "6f1c9a2e-1111-4a5b-9c3d-0000000000b2"
DAILY_BONUS = 5_000


@pytest.fixture
def users(aws: dict[str, str]) -> list[str]:
    seed_content()
    for user in (ASHA, BALA):
        Ledger().open_wallet(user)
    return [ASHA, BALA]


def stored(user_id: str, task_id: str) -> DayTask:
    day_tasks = DayTaskStore().get(user_id, utc_day())
    assert day_tasks is not None
    task = day_tasks.find(task_id)
    assert task is not None
    return task


def entries(user_id: str) -> list[Any]:
    return Ledger().history(user_id, 100, None).items


def finish(user_id: str, task: dict[str, Any], clock: Clock) -> tuple[int, Any]:
    assert start(user_id, task["id"])[0] == 200
    clock.advance(task["min_seconds"])
    option = right_option(stored(user_id, task["id"])) if task["type"] == "QUIZ" else None
    return complete(user_id, task["id"], option)


def served_content_task(clock: Clock) -> dict[str, Any]:
    """One of Asha's content tasks, started and its minimum time served."""
    task = next(t for t in today(ASHA) if t["type"] == "CONTENT")
    assert start(ASHA, task["id"])[0] == 200
    clock.advance(task["min_seconds"])
    return task


def test_the_first_read_makes_twenty_tasks_and_later_reads_return_the_same(users: list[str]) -> None:
    # When Asha opens her tasks twice
    first, again = today(ASHA), today(ASHA)
    # Then she has 10 AD, 6 CONTENT and 4 QUIZ tasks, all PENDING, the same both times
    assert [task["type"] for task in first].count("AD") == 10
    assert {kind: [t["type"] for t in first].count(kind) for kind in ("CONTENT", "QUIZ")} == {
        "CONTENT": 6,
        "QUIZ": 4,
    }
    assert {task["status"] for task in first} == {"PENDING"} and first == again
    assert StatsStore().live(utc_day()).get(Metric.USERS_ACTIVE) == 1


def test_twenty_concurrent_first_reads_make_one_set(users: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        sets = list(pool.map(lambda _: today(ASHA), range(20)))
    assert all(found == sets[0] for found in sets) and len(sets[0]) == 20
    assert StatsStore().live(utc_day()).get(Metric.TASK_SETS) == 1


def test_an_ad_task_completed_too_fast_is_422_and_credits_nothing_then_spends_its_ad(
    users: list[str], clock: Clock
) -> None:
    # Given Asha starts an AD task: she gets an ad impression for placement TASK, timed as the task
    task = next(t for t in today(ASHA) if t["type"] == "AD")
    status, started = start(ASHA, task["id"])
    assert status == 200 and started["ad"]["min_watch_seconds"] == task["min_seconds"]
    ad = ImpressionStore().get(started["ad"]["impression_id"])
    assert ad is not None and (ad.placement, ad.user_id, ad.status) == ("TASK", ASHA, "ISSUED")
    assert start(ASHA, task["id"])[1]["ad"] == started["ad"]  # a retried start keeps the same ad
    # When she completes it a second early: refused, nothing credited
    clock.advance(task["min_seconds"] - 1)
    status, answer = complete(ASHA, task["id"])
    assert (status, answer["error"]["code"]) == (422, "task_incomplete")
    assert entries(ASHA) == []
    # When the time has passed: credited, and the task's impression is spent with it
    clock.advance(1)
    status, answer = complete(ASHA, task["id"])
    assert (status, answer["credited"], answer["task"]["status"]) == (200, task["reward"], "COMPLETED")
    spent = ImpressionStore().get(started["ad"]["impression_id"])
    assert spent is not None and spent.status == "USED"
    assert complete(ASHA, task["id"])[1]["error"]["code"] == "task_already_completed"
    assert [(e.type, e.amount) for e in entries(ASHA)] == [(EntryType.TASK, task["reward"])]
    # and the start, the early claim and the completion are on the activity log, each claim timed
    activity = [
        (a.action, a.resource, a.required_seconds, a.elapsed_seconds)
        for a in SecurityStore().activity_of(ASHA)
    ]
    assert activity == [
        ("task_completed", task["id"], task["min_seconds"], float(task["min_seconds"])),
        ("task_claimed_early", task["id"], task["min_seconds"], float(task["min_seconds"] - 1)),
        ("task_started", task["id"], None, None),
    ]


def test_a_quiz_gets_one_more_try_then_fails(users: list[str], clock: Clock) -> None:
    quiz = [t for t in today(ASHA) if t["type"] == "QUIZ"]
    status, started = start(ASHA, quiz[0]["id"])
    assert status == 200 and set(started["question"]["options"]) == {"A", "B", "C", "D"}
    assert "correct_option" not in str(started)
    clock.advance(quiz[0]["min_seconds"])
    wrong = wrong_option(stored(ASHA, quiz[0]["id"]))
    status, answer = complete(ASHA, quiz[0]["id"], wrong)
    assert (status, answer["error"]["details"]) == (422, {"attempts_left": 1, "status": "STARTED"})
    status, answer = complete(ASHA, quiz[0]["id"], wrong)
    assert (status, answer["error"]["details"]) == (422, {"attempts_left": 0, "status": "FAILED"})
    assert complete(ASHA, quiz[0]["id"], right_option(stored(ASHA, quiz[0]["id"])))[0] == 409
    # A second quiz answered right on the second try pays
    start(ASHA, quiz[1]["id"])
    clock.advance(quiz[1]["min_seconds"])
    assert complete(ASHA, quiz[1]["id"], wrong_option(stored(ASHA, quiz[1]["id"])))[0] == 422
    assert complete(ASHA, quiz[1]["id"], right_option(stored(ASHA, quiz[1]["id"])))[0] == 200
    assert [e.type for e in entries(ASHA)] == [EntryType.TASK]


def test_all_twenty_pay_each_reward_once_then_the_bonus_and_the_achievement(
    users: list[str], clock: Clock
) -> None:
    tasks = today(ASHA)
    results = [finish(ASHA, task, clock) for task in tasks]
    assert [status for status, _ in results] == [200] * 20
    assert [answer["daily_bonus"] for _, answer in results] == [0] * 19 + [DAILY_BONUS]
    paid = entries(ASHA)
    assert sorted(e.amount for e in paid if e.type is EntryType.TASK) == sorted(t["reward"] for t in tasks)
    assert [e.amount for e in paid if e.type is EntryType.TASK_BONUS] == [DAILY_BONUS]
    day = utc_day()
    status, achievements = tasks_call(ASHA, "http_api_me_achievements")
    assert status == 200 and [(a["name"], a["day"]) for a in achievements["items"]] == [
        ("daily_champion", day)
    ]
    counters = StatsStore().live(day)
    assert (counters.get(Metric.TASKS_COMPLETED), counters.get(Metric.DAILY_BONUSES)) == (20, 1)
    assert counters.get(Metric.coins(EntryType.TASK)) == sum(t["reward"] for t in tasks)


def test_the_next_utc_day_brings_new_tasks_and_leaves_yesterday_alone(users: list[str], clock: Clock) -> None:
    yesterday_tasks = today(ASHA)
    finish(ASHA, yesterday_tasks[0], clock)
    yesterday = utc_day()
    clock.advance(86_400)
    fresh = today(ASHA)
    assert {t["status"] for t in fresh} == {"PENDING"} and len(fresh) == 20
    assert not {t["id"] for t in fresh} & {t["id"] for t in yesterday_tasks}
    kept = DayTaskStore().get(ASHA, yesterday)
    assert kept is not None and kept.completed == 1
    # Yesterday's ids are not today's tasks
    assert start(ASHA, yesterday_tasks[1]["id"])[1]["error"]["code"] == "task_not_found"


def test_another_users_task_is_404(users: list[str]) -> None:
    task = today(ASHA)[0]
    today(BALA)
    status, answer = start(BALA, task["id"])
    assert (status, answer["error"]["code"]) == (404, "task_not_found")


def test_a_completion_pays_in_one_transaction_and_concurrent_last_completions_pay_once(
    users: list[str], clock: Clock
) -> None:
    # Given Asha with all but two of her tasks completed
    tasks = today(ASHA)
    assert [finish(ASHA, task, clock)[0] for task in tasks[:18]] == [200] * 18
    # When she completes the next one (the session check cached, as on a warm container)
    nineteenth, last = tasks[18], tasks[19]
    assert start(ASHA, nineteenth["id"])[0] == 200
    clock.advance(nineteenth["min_seconds"])
    option = right_option(stored(ASHA, nineteenth["id"])) if nineteenth["type"] == "QUIZ" else None
    today(ASHA)
    with counting() as calls:
        status, _ = complete(ASHA, nineteenth["id"], option)
    # Then the set and the wallet are read, and the reward commits with the completion: one transaction
    assert status == 200
    assert calls == {"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1}
    # When eight completions of the day's last task arrive at once
    assert start(ASHA, last["id"])[0] == 200
    clock.advance(last["min_seconds"])
    option = right_option(stored(ASHA, last["id"])) if last["type"] == "QUIZ" else None
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: complete(ASHA, last["id"], option), range(8)))
    # Then one pays the reward and the daily bonus, the others are refused and pay nothing
    assert sorted(status for status, _ in results) == [200] + [409] * 7
    assert {body["error"]["code"] for status, body in results if status == 409} == {"task_already_completed"}
    assert [body["daily_bonus"] for status, body in results if status == 200] == [DAILY_BONUS]
    paid = entries(ASHA)
    assert sorted(e.amount for e in paid if e.type is EntryType.TASK) == sorted(t["reward"] for t in tasks)
    assert [e.amount for e in paid if e.type is EntryType.TASK_BONUS] == [DAILY_BONUS]
    assert Ledger().get_wallet(ASHA).balance == sum(t["reward"] for t in tasks) + DAILY_BONUS
    assert StatsStore().live(utc_day()).get(Metric.DAILY_BONUSES) == 1
    # And the ledger reconciles
    clock.advance(86_400)
    assert reconcile().ok


def test_a_completion_whose_wallet_moved_meanwhile_is_composed_again_and_pays_once(
    users: list[str], clock: Clock
) -> None:
    # Given Asha's started content task, its time served
    task = served_content_task(clock)
    # When another credit of her wallet commits between the completion's read of it and its transaction
    with wallet_moves_before_next_transaction(ASHA, 100):
        status, answer = complete(ASHA, task["id"])
    # Then the completion was composed again on the wallet as it is, and paid once
    assert (status, answer["credited"]) == (200, task["reward"])
    assert [e.amount for e in entries(ASHA) if not e.id.startswith("race:")] == [task["reward"]]
    assert Ledger().get_wallet(ASHA).balance == 100 + task["reward"]
    clock.advance(86_400)
    assert reconcile().ok


def test_a_completion_paid_but_never_recorded_by_the_previous_release_is_not_paid_again(
    users: list[str], clock: Clock
) -> None:
    # Given a task whose reward the previous release (pay, then record) paid without recording it
    task = served_content_task(clock)
    Ledger().credit(
        entry_id=derived_id("task", ASHA, utc_day(), task["id"]),
        user_id=ASHA,
        amount=task["reward"],
        entry_type=EntryType.TASK,
        description=f"Task: {task['title']}",
    )
    # When it is completed
    status, refused = complete(ASHA, task["id"])
    # Then it is refused as busy, and nothing is paid again
    assert (status, refused["error"]["code"]) == (409, "task_busy")
    assert Ledger().get_wallet(ASHA).balance == task["reward"]
