"""Boosts through the real handler (moto): a mining session's video boost is paid once, only for the right
answer within 30 s of a question asked after the video played out; a video once a day, three boosts a
day (also under concurrent starts), and the limits start over on the next UTC day."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from bench.counting import counting
from local_runtime.seed import seed_content
from tests.support.boosts import answer, ask, mining_user, start_boost
from tests.support.earning import after, mining_state
from tests.support.wallet_races import wallet_moves_before_next_transaction
from twtc_core.clock import Clock, utc_day, utc_now
from twtc_core.earning.sessions import MiningStore
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.reconcile import reconcile
from twtc_core.security import SecurityStore
from twtc_core.stats import Metric, StatsStore

ASHA = "6f1c9a2e-2222-4a5b-9c3d-0000000000a1"
BALA = "6f1c9a2e-2222-4a5b-9c3d-0000000000b2"
BASE = 2_500 * 4
# Seeded videos: id -> (duration s, multiplier percent, right option)
TAJ = ("taj-mahal", 90, 150, "B")
VIDEOS = ["taj-mahal", "kerala-backwaters", "jaipur-pink-city", "varanasi-ghats", "goa-beaches"]
GROUP = 3
LATE_GROUP = 10  # its 23:36 window: a session that runs across midnight


@pytest.fixture
def content(aws: dict[str, str]) -> None:
    seed_content()


def entries(user_id: str, entry_type: EntryType) -> list[tuple[str, int]]:
    return [(e.id, e.amount) for e in Ledger().history(user_id, 100, None).items if e.type == entry_type]


def watched(user_id: str, video_id: str, seconds: int, clock: Clock) -> str:
    status, boost = start_boost(user_id, video_id)
    assert status == 201, boost
    clock.advance(seconds)
    return str(boost["id"])


def asked_boost(clock: Clock) -> str:
    """Asha mining, with a Taj Mahal boost whose video played out and whose question she asked."""
    mining_user(ASHA, GROUP)
    boost = watched(ASHA, TAJ[0], TAJ[1], clock)
    assert ask(ASHA, boost)[0] == 200
    return boost


def test_a_right_answer_in_time_credits_base_times_multiplier_minus_one_once(
    content: None, clock: Clock
) -> None:
    # Given Asha mining, who starts a boost on the Taj Mahal video (90 s, x1.5)
    session = mining_user(ASHA, GROUP)
    status, boost = start_boost(ASHA, TAJ[0])
    assert status == 201 and boost["video_id"] == TAJ[0]
    # When she asks for the question a second early
    clock.advance(TAJ[1] - 1)
    status, early = ask(ASHA, boost["id"])
    # Then it is refused, and answering before any question is asked is refused too
    assert (status, early["error"]["code"], early["error"]["details"]) == (
        422,
        "video_incomplete",
        {"seconds_remaining": 1},
    )
    assert answer(ASHA, boost["id"], TAJ[3])[1]["error"]["code"] == "question_not_asked"
    # When the video has played out, asking twice gives the same question and deadline, no answer
    clock.advance(1)
    status, asked = ask(ASHA, boost["id"])
    clock.advance(10)
    again = ask(ASHA, boost["id"])[1]
    assert status == 200 and asked == again and set(asked["options"]) == set("ABCD")
    assert "correct_option" not in str(asked)
    # And she answers right within the 30 s
    clock.advance(19)
    status, answered = answer(ASHA, boost["id"], TAJ[3])
    # Then exactly base x (1.5 - 1) is credited as BOOST, and the session's multiplier shows it
    assert (status, answered["correct"], answered["credited"]) == (200, True, BASE * 50 // 100)
    assert entries(ASHA, EntryType.BOOST) == [(f"boost:{boost['id']}", 5_000)]
    latest = MiningStore().latest_of(ASHA)
    assert latest is not None and latest.boost_multiplier == TAJ[2]
    # And a second answer is refused and pays nothing more
    status, twice = answer(ASHA, boost["id"], TAJ[3])
    assert (status, twice["error"]["code"]) == (409, "already_answered")
    assert entries(ASHA, EntryType.BOOST) == [(f"boost:{boost['id']}", 5_000)]
    # And the day's counters and her activity record it
    stats = StatsStore().live(utc_day())
    assert (stats.get(Metric.BOOSTS), stats.get(Metric.coins(EntryType.BOOST))) == (1, 5_000)
    assert [a.action for a in SecurityStore().activity_of(ASHA)].count("boost_answered") == 1
    # When the session ends, settlement credits the base only: the boost is not paid twice
    clock.advance(after(datetime.fromisoformat(session["ends_at"])).total_seconds())
    assert mining_state(ASHA)[1]["session"]["reward"] == BASE * 150 // 100
    assert entries(ASHA, EntryType.MINING) == [(f"mining:{session['id']}", BASE)]


def test_wrong_or_late_answers_credit_nothing_and_are_recorded(content: None, clock: Clock) -> None:
    mining_user(ASHA, GROUP)
    # A wrong answer in time
    wrong = watched(ASHA, TAJ[0], TAJ[1], clock)
    assert ask(ASHA, wrong)[0] == 200
    status, answered = answer(ASHA, wrong, "A")
    assert (status, answered["correct"], answered["credited"]) == (200, False, 0)
    # A right answer 31 s after the question
    late = watched(ASHA, "goa-beaches", 60, clock)
    assert ask(ASHA, late)[0] == 200
    clock.advance(31)
    status, answered = answer(ASHA, late, "A")
    assert (status, answered["correct"], answered["credited"]) == (200, False, 0)
    assert entries(ASHA, EntryType.BOOST) == []
    latest = MiningStore().latest_of(ASHA)
    assert latest is not None and latest.boost_multiplier == 100
    assert [a.action for a in SecurityStore().activity_of(ASHA)].count("boost_answered") == 2


def test_boosts_need_a_running_session_a_known_video_and_their_owner(content: None, clock: Clock) -> None:
    status, refused = start_boost(ASHA, TAJ[0])
    assert (status, refused["error"]["code"]) == (409, "no_active_session")
    mining_user(ASHA, GROUP)
    assert start_boost(ASHA, "no-such-video")[0] == 404
    boost = watched(ASHA, TAJ[0], TAJ[1], clock)
    # Bala cannot see or answer Asha's boost
    assert ask(BALA, boost)[0] == 404 and answer(BALA, boost, "B")[0] == 404


def test_a_video_once_and_three_boosts_a_day_then_the_next_utc_day_starts_over(
    content: None, clock: Clock
) -> None:
    # Given Asha mining from 23:36 UTC, across midnight
    clock.advance(after(utc_now().replace(hour=23, minute=30)).total_seconds())
    mining_user(ASHA, LATE_GROUP)
    first = start_boost(ASHA, VIDEOS[0])
    assert first[0] == 201
    assert start_boost(ASHA, VIDEOS[0])[1]["error"]["code"] == "video_used_today"
    assert [start_boost(ASHA, video)[0] for video in VIDEOS[1:3]] == [201, 201]
    status, fourth = start_boost(ASHA, VIDEOS[3])
    assert (status, fourth["error"]["code"]) == (409, "boost_limit_reached")
    # When the UTC day changes, the same video and three more boosts are allowed
    clock.advance(after(utc_now().replace(hour=0, minute=0), days=1).total_seconds())
    assert [start_boost(ASHA, video)[0] for video in VIDEOS[:4]] == [201, 201, 201, 409]


def test_five_concurrent_starts_on_five_videos_make_exactly_three_boosts(content: None) -> None:
    mining_user(ASHA, GROUP)
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(lambda video: start_boost(ASHA, video), VIDEOS))
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 201, 201, 409, 409]
    assert {body["error"]["code"] for status, body in results if status == 409} == {"boost_limit_reached"}
    assert StatsStore().live(utc_day()).get(Metric.BOOSTS) == 3


def test_a_right_answer_pays_in_one_transaction_and_concurrent_answers_pay_once(
    content: None, clock: Clock
) -> None:
    # Given Asha mining, with a boost whose question she asked
    first = asked_boost(clock)
    # When she answers right
    with counting() as calls:
        status, _ = answer(ASHA, first, TAJ[3])
    # Then the boost and the wallet are read, and the credit commits with the answer: one transaction
    assert status == 200
    assert calls == {"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1}
    # Given a second boost (Kerala: 120 s, x1.3, right option A)
    second = watched(ASHA, "kerala-backwaters", 120, clock)
    assert ask(ASHA, second)[0] == 200
    # When eight right answers of it arrive at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: answer(ASHA, second, "A"), range(8)))
    # Then one is paid and recorded, the others are refused and pay nothing
    assert sorted(status for status, _ in results) == [200] + [409] * 7
    assert {body["error"]["code"] for status, body in results if status == 409} == {"already_answered"}
    assert sorted(entries(ASHA, EntryType.BOOST)) == sorted(
        [(f"boost:{first}", 5_000), (f"boost:{second}", 3_000)]
    )
    latest = MiningStore().latest_of(ASHA)
    assert latest is not None and latest.boost_multiplier == 100 + 50 + 30
    assert StatsStore().live(utc_day()).get(Metric.coins(EntryType.BOOST)) == 8_000
    assert [a.action for a in SecurityStore().activity_of(ASHA)].count("boost_answered") == 2
    # And the ledger reconciles
    clock.advance(86_400)
    assert reconcile().ok


def test_an_answer_whose_wallet_moved_meanwhile_is_composed_again_and_pays_once(
    content: None, clock: Clock
) -> None:
    # Given Asha mining, with a boost whose question she asked
    boost = asked_boost(clock)
    # When another credit of her wallet commits between the answer's read of it and its transaction
    with wallet_moves_before_next_transaction(ASHA, 100):
        status, answered = answer(ASHA, boost, TAJ[3])
    # Then the answer was composed again on the wallet as it is, and paid once
    assert (status, answered["credited"]) == (200, 5_000)
    assert entries(ASHA, EntryType.BOOST) == [(f"boost:{boost}", 5_000)]
    assert Ledger().get_wallet(ASHA).balance == 100 + 5_000
    clock.advance(86_400)
    assert reconcile().ok


def test_an_answer_paid_but_never_recorded_by_the_previous_release_is_not_paid_again(
    content: None, clock: Clock
) -> None:
    # Given a boost whose credit the previous release (pay, then record) paid without recording the answer
    boost = asked_boost(clock)
    Ledger().credit(
        entry_id=f"boost:{boost}",
        user_id=ASHA,
        amount=5_000,
        entry_type=EntryType.BOOST,
        description="Tourism video boost",
    )
    # When the answer comes
    status, refused = answer(ASHA, boost, TAJ[3])
    # Then it is refused as busy, and nothing is paid again
    assert (status, refused["error"]["code"]) == (409, "boost_busy")
    assert Ledger().get_wallet(ASHA).balance == 5_000
