"""`make simulate`: a user-day of N users through the real handlers, metered per AWS service.

The handlers run in-process against moto (every declared resource, as the local runtime creates them),
called with the real event shapes the tests build (tests/support): faster than going through the local
runtime's HTTP and WebSocket servers, and the same code paths behind them. Time is the injectable clock:
every action happens at its simulated moment (a discrete-event loop), so the day takes minutes. The mix is
bench.behaviour.BEHAVIOUR. At the end the ledger is reconciled: every coin of the day accounted for.

    python -m bench.simulate --users 1000
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.metering import METER, Usage, instrument_handlers
from local_runtime.resources import environment

os.environ.update(environment())

from moto import mock_aws

from local_runtime.cognito import install_cognito_emulation
from local_runtime.moto_fidelity import make_dynamodb_atomic
from local_runtime.resources import create_resources

make_dynamodb_atomic()
install_cognito_emulation()
with mock_aws():
    os.environ.update(create_resources())
instrument_handlers()

from bench import latency
from bench.behaviour import BEHAVIOUR, Behaviour
from bench.capacity import HOT_SHARE, PARTITION_WCU_PER_SECOND, binding, hot_keys, quota_use
from bench.cost_model import (
    SEED_BUDGET,
    TARGET_USERS,
    DayUsage,
    bill,
    by_category,
    levers,
    monthly_quantities,
    total,
)
from bench.prices import PRICES_DATED
from bench.printing import table
from infra_cdk.wiring import FUNCTIONS, SECURITY, SETTINGS, StreamSource, function
from local_runtime.lambdas import LocalFunction
from local_runtime.outbox import OUTBOX
from local_runtime.seed import content_items, seed_content
from local_runtime.streams import StreamPoller
from tests.support import accounts, calls, earning, presence, tasks, withdrawals
from tests.support.boosts import answer, ask, start_boost
from tests.support.cognito import SignedInUser
from tests.support.events import FakeLambdaContext, event, http_event
from tests.support.kyc_status import set_kyc_status
from tests.support.ledger import credit
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import CLOCK, utc_day, utc_now
from twtc_core.earning import windows
from twtc_core.ledger import Ledger
from twtc_core.ledger.reconcile import reconcile
from twtc_core.tasks.day_tasks import DayTaskStore

DAY = datetime(2026, 11, 25, tzinfo=UTC)
SEED = 15
# Users simulated one by one (each standing for users / SAMPLE): a user's day costs ~2-3 s of moto on this
# 2-core machine, so 1,000 of them would not fit the 10 minutes the issue allows.
SAMPLE = 50
WINDOW_SECONDS = 3600
CONNECTION_HOURS = 2  # API Gateway's longest WebSocket connection
IDLE_TICKS = 10
STREAM_BATCH_MINUTES = 5
Process = Generator[float, None, None]  # yields the seconds until its next step


@dataclass
class SimUser:
    account: accounts.Account
    group: int
    refresh_token: str = ""
    access_token: str = ""
    caller: bool = False
    host: bool = False


@dataclass
class DayReport:
    users: int  # the population the day stands for
    simulated: int  # the users simulated one by one, each standing for users / simulated
    usage: Usage
    connection_minutes: float
    failures: Counter[str] = field(default_factory=Counter)
    reconciled: bool = False
    reconcile_summary: str = ""
    call_minutes: float = 0.0
    table_bytes: dict[str, int] = field(default_factory=dict)
    wall_seconds: float = 0.0


class Loop:
    """A discrete-event loop on the injectable clock: processes sleep in simulated seconds. Each step of a
    process is metered with the process's weight (the users a sampled user stands for)."""

    def __init__(self) -> None:
        self._queue: list[tuple[datetime, int, Process, float, bool]] = []
        self._seq = 0

    def spawn(self, at: datetime, process: Process, weight: float = 1.0, *, spread: bool = False) -> None:
        """`spread`: what the process stands for happens at any time of the population's day."""
        heapq.heappush(self._queue, (at, self._seq, process, weight, spread))
        self._seq += 1

    def run(self, until: datetime) -> None:
        while self._queue and self._queue[0][0] <= until:
            at, _, process, weight, spread = heapq.heappop(self._queue)
            if at > utc_now():
                CLOCK.advance((at - utc_now()).total_seconds())
            with METER.sampled(weight, spread=spread):
                delay = next(process, None)
            if delay is not None:
                self.spawn(utc_now() + timedelta(seconds=delay), process, weight, spread=spread)


class Simulation:
    def __init__(self, users: int, sample: int, behaviour: Behaviour = BEHAVIOUR, seed: int = SEED) -> None:
        self.represented = users
        self.size = min(users, sample)
        self.weight = users / self.size  # each simulated user stands for this many
        self.behaviour = behaviour
        self.random = random.Random(seed)
        self.loop = Loop()
        self.users: list[SimUser] = []
        self.failures: Counter[str] = Counter()
        self.connection_minutes = 0.0
        self.videos = [item for item in content_items() if item["pk"] == "VIDEO"]
        self.calls_placed = 0
        self.calls_up = 0
        self.host_weight = self.caller_weight = self.weight
        self.call_minutes = 0.0

    # -- checks ------------------------------------------------------------------------------------
    def expect(self, step: str, status: int, *ok: int) -> bool:
        if status not in ok:
            self.failures[f"{step}: {status}"] += 1
            return False
        return True

    def role_weight(self, share: float, simulated: int) -> float:
        """How many of the represented users each of the `simulated` users in a role stands for: a small
        sample rounds a 1 % role up to one user, who then counts as 1 % of the population."""
        return self.represented * share / simulated

    # -- the population, before the day (not metered) ----------------------------------------------
    def populate(self) -> None:
        CLOCK.freeze(DAY - timedelta(hours=2))
        seed_content()
        earning.seed_ad_units()
        for n in range(self.size):
            account = accounts.open_account(OUTBOX, f"user{n:06d}@example.com", ip=_ip(n))
            profile = ProfileStore().get(account.user_id)
            assert profile is not None and profile.group is not None
            self.users.append(SimUser(account, profile.group))
        hosts = max(1, round(self.size * self.behaviour.hosts))
        self.host_weight = self.role_weight(self.behaviour.hosts, hosts)
        for user in self.users[:hosts]:
            user.host = True
            ProfileStore().update(user.account.user_id, {"accepts_calls": True})
        callers = max(1, round(self.size * self.behaviour.callers))
        self.caller_weight = self.role_weight(self.behaviour.callers, callers)
        for user in self.users[hosts : hosts + callers]:
            user.caller = True

    # -- a user's day --------------------------------------------------------------------------------
    def plan(self) -> None:
        by_group: dict[int, list[SimUser]] = {}
        for user in self.users:
            by_group.setdefault(user.group, []).append(user)
        for members in by_group.values():
            for rank, user in enumerate(members):
                self.plan_visits(user, self._arrival(rank, len(members)))
        hosts = [user for user in self.users if user.host]
        for host in hosts:
            self.loop.spawn(DAY, self.host_presence(host), self.host_weight, spread=True)
        month = self.host_month(hosts[0], len(hosts))
        self.loop.spawn(DAY + timedelta(hours=20), month, self.host_weight, spread=True)
        referred = max(1, round(self.size * self.behaviour.referred_signups))
        for n in range(referred):
            referrer = self.users[n % len(self.users)]
            signup = self.referred_signup(referrer, n)
            weight = self.role_weight(self.behaviour.referred_signups, referred)
            self.loop.spawn(DAY + timedelta(hours=9, minutes=n), signup, weight, spread=True)
        self.schedules()

    def plan_visits(self, user: SimUser, arrival: float) -> None:
        slots = windows.slots_of_day(user.group, DAY)
        # The window skipped: the one that would run the visit's tasks past midnight, else a random one.
        skipped = len(slots) - 1 if slots[-1].hour == 23 else self.random.randrange(len(slots))
        visits = [slot for n, slot in enumerate(slots) if n != skipped][: self.behaviour.mining_sessions]
        # The same moment of each window (a second later each time): a session ends 4 hours after it
        # starts, in the next window, before the user comes back to start the next one.
        for number, slot in enumerate(visits):
            at = slot + timedelta(seconds=arrival + number)
            # A host is 1 % of the population: its window crowd is not the sample's (spread over the day).
            self.loop.spawn(at, self.visit(user, number, len(visits)), self.weight, spread=user.host)

    def _arrival(self, rank: int, members: int) -> float:
        """Seconds after the window opens for the group's rank-th user: the first `window_first_minute` of
        them within the first minute (the open push wakes them), the others spread evenly over the window
        (leaving time for the ad's minute inside it). Deterministic: the busiest minute is exact."""
        burst = round(members * self.behaviour.window_first_minute)
        if rank < burst:
            return 60 * rank / burst
        return 60 + (WINDOW_SECONDS - 360) * (rank - burst) / max(1, members - burst)

    def visit(self, user: SimUser, number: int, visits: int) -> Process:
        b, user_id = self.behaviour, user.account.user_id
        self.sign_in(user, first=number == 0)
        connection = f"{user_id[:8]}-{number}="
        connected = presence.connect(
            SignedInUser(user.account.username, user_id, user.access_token), connection
        )
        self.expect("$connect", connected["statusCode"], 200)
        self.expect("GET /v1/mining", earning.mining_state(user_id)[0], 200)
        for _ in range(b.wallet_reads_per_visit):
            self.expect("GET /v1/wallet", _get(user_id, "http_api_wallet_get"), 200)
        impression = earning.issue_impression(user_id)
        yield earning.MINING_AD_SECONDS
        self.expect("ad complete", earning.complete_impression(user_id, impression)[0], 200)
        self.expect("POST /v1/mining/sessions", earning.start_mining(user_id, impression)[0], 201)
        started = utc_now()
        if number < b.boosts:
            yield from self.boost(user_id, self.videos[number])
        yield from self.day_tasks(user_id, number, visits)
        if number == visits - 1:
            self.expect("GET /v1/wallet/transactions", _get(user_id, "http_api_wallet_transactions"), 200)
            if self.random.random() < b.referral_page_reads:
                self.expect("GET /v1/referrals", _get(user_id, "http_api_referrals_get"), 200)
            if user.caller:  # in the evening, at any minute: not with the window's crowd
                self.loop.spawn(utc_now(), self.call_host(user_id), self.caller_weight, spread=True)
        for minute in range(b.heartbeat_minutes, b.visit_minutes, b.heartbeat_minutes):
            wait = (started + timedelta(minutes=minute) - utc_now()).total_seconds()
            if wait > 0:
                yield wait
            presence.heartbeat(connection)
        presence.disconnect(connection)
        minutes = max(b.visit_minutes, (utc_now() - started).total_seconds() / 60)
        self.connection_minutes += minutes * self.weight

    def sign_in(self, user: SimUser, *, first: bool) -> None:
        if first:
            status, body, _ = accounts.log_in(
                user.account.username, user.account.device_id, ip=user.account.ip
            )
        else:
            status, body, _ = accounts.call(
                _auth(), "http_api_auth_refresh", caller=None, body={"refresh_token": user.refresh_token}
            )
        if self.expect("sign-in" if first else "refresh", status, 200):
            user.access_token = body["access_token"]
            user.refresh_token = body.get("refresh_token") or user.refresh_token

    def boost(self, user_id: str, video: dict[str, Any]) -> Process:
        status, boost = start_boost(user_id, video["video_id"])
        if not self.expect("POST /v1/boosts", status, 201):
            return
        yield video["duration_seconds"]
        self.expect("boost question", ask(user_id, boost["id"])[0], 200)
        yield 5
        self.expect("boost answer", answer(user_id, boost["id"], video["question"]["correct_option"])[0], 200)

    def day_tasks(self, user_id: str, number: int, visits: int) -> Process:
        share = self.behaviour.tasks // visits
        todays, day = tasks.today(user_id), utc_day()
        last = self.behaviour.tasks if number == visits - 1 else (number + 1) * share
        for task in todays[number * share : last]:
            self.expect("task start", tasks.start(user_id, task["id"])[0], 200)
            yield task["min_seconds"]
            option = self._right_option(user_id, day, task) if task["type"] == "QUIZ" else None
            self.expect("task complete", tasks.complete(user_id, task["id"], option)[0], 200)

    def _right_option(self, user_id: str, day: str, task: dict[str, Any]) -> str:
        with METER.unmetered():  # the client knows the answer: the simulation reads it, the app does not
            day_tasks = DayTaskStore().get(user_id, day)
        stored = day_tasks.find(task["id"]) if day_tasks else None
        assert stored is not None
        return tasks.right_option(stored)

    def call_host(self, user_id: str) -> Process:
        host = self.users[self.calls_placed % max(1, sum(u.host for u in self.users))]
        self.calls_placed += 1
        sid = f"CA{self.calls_placed:032x}"
        dialed = calls.dial(sid, user_id, host.account.user_id)
        if not self.expect("call dial", dialed["statusCode"], 200) or "<Dial" not in dialed["body"]:
            self.failures[f"call refused: {dialed['body']}"] += 1
            return
        self.expect("call answered", calls.leg_status(sid, "in-progress")["statusCode"], 200)
        self.calls_up += 1
        yield self.behaviour.call_minutes * 60
        self.calls_up -= 1
        seconds = self.behaviour.call_minutes * 60
        self.expect("call completed", calls.leg_status(sid, "completed", seconds)["statusCode"], 200)
        self.call_minutes += self.behaviour.call_minutes * self.caller_weight

    def host_presence(self, user: SimUser) -> Process:
        """Hosts keep the app open all day: a heartbeat every few minutes keeps them in the lobby, and a new
        connection every 2 hours (API Gateway closes a WebSocket after 2 hours)."""
        b, user_id = self.behaviour, user.account.user_id
        self.sign_in(user, first=True)
        for hour in range(0, 24, CONNECTION_HOURS):
            self.sign_in(user, first=False)
            connection = f"{user_id[:8]}-host-{hour}="
            signed_in = SignedInUser(user.account.username, user_id, user.access_token)
            self.expect("$connect (host)", presence.connect(signed_in, connection)["statusCode"], 200)
            for _ in range(CONNECTION_HOURS * 60 // b.heartbeat_minutes):
                yield b.heartbeat_minutes * 60
                presence.heartbeat(connection)
            presence.disconnect(connection)
            self.connection_minutes += CONNECTION_HOURS * 60 * self.weight

    def host_month(self, user: SimUser, hosts: int) -> Process:
        """A host's KYC and withdrawal of the month, pro-rated: run once, counted as hosts x 1/30."""
        user_id = user.account.user_id
        with METER.unmetered():  # a month of the host's call earnings, and the provider's verdict
            credit(Ledger(), f"task:{user_id}:month", user_id, 60_000)
        with METER.weighted(hosts * self.behaviour.host_kyc_per_day):
            status, _, _ = accounts.call(
                _handler("kyc"), "http_api_kyc_uploads", caller=user_id, body=_KYC_UPLOAD
            )
            self.expect("POST /v1/kyc/uploads", status, 201, 200)
            _client_upload(user_id)
            self.expect(
                "GET /v1/kyc", accounts.call(_handler("kyc"), "http_api_kyc_get", caller=user_id)[0], 200
            )
        with METER.unmetered():
            set_kyc_status(user_id, "VERIFIED")
        yield 60
        with METER.weighted(hosts * self.behaviour.host_withdrawals_per_day):
            status, body = withdrawals.withdraw(user_id, 50_000, key=f"month-{user_id}")
            if self.expect("POST /v1/wallet/withdrawals", status, 201):
                self.expect("admin approve", withdrawals.review(body["id"], "approve")[0], 200)

    def referred_signup(self, referrer: SimUser, n: int) -> Process:
        code = accounts.referral_code_of(referrer.account.user_id)
        email = f"referred{n:05d}@example.com"
        status, _, _ = accounts.sign_up(email, referral_code=code, ip=_ip(1_000_000 + n))
        if self.expect("POST /v1/auth/signup", status, 201):
            self.expect("POST /v1/auth/confirm", accounts.confirm(OUTBOX, email)[0], 200)
            accounts.run_provisioning()
        yield 60
        messages = accounts.queued_messages()
        if messages:
            accounts.run_worker(messages)

    # -- the platform's schedules --------------------------------------------------------------------
    def schedules(self) -> None:
        for spec in FUNCTIONS:
            if spec.name == "group_window":
                for schedule in spec.schedules:
                    group = int(schedule.name.split("-")[2])
                    after = timedelta(minutes=60 if schedule.name.endswith("close") else 0)
                    for slot in windows.slots_of_day(group, DAY):
                        self.loop.spawn(slot + after, _group_window(group))
        self.loop.spawn(DAY, self.every_minute())
        self.loop.spawn(DAY + timedelta(days=1), _once(lambda: _scheduled("midnight_reset")))

    def every_minute(self) -> Process:
        """The billing tick each minute, the fraud evaluator fed from the security stream, the
        reconciliation every 5 minutes and the erasure sweep every 15.

        Two shortcuts, neither changing what is counted: while no call is up, a billing tick finds nothing
        to bill, so one in IDLE_TICKS runs and counts for all of them; and the stream is drained every
        STREAM_BATCH_MINUTES (Lambda's batching window), so the evaluator gets fuller batches, as it would
        with a million users' activity."""
        poller = StreamPoller(SECURITY, StreamSource(SECURITY.name, "ACTIVITY#"), _local("fraud_evaluator"))
        idle = 0
        for minute in range(24 * 60):
            if self.calls_up or idle == IDLE_TICKS - 1 or minute == 24 * 60 - 1:
                with METER.weighted(idle + 1):
                    _scheduled("billing_tick")
                idle = 0
            else:
                idle += 1
            if minute % STREAM_BATCH_MINUTES == 0:
                with METER.uncounted_requests():  # Lambda's stream polling is free
                    poller.drain()
            if minute % 5 == 0:
                _scheduled("reconcile")
            if minute % 15 == 0:
                _scheduled("erasure_sweeper")
            yield 60
        with METER.uncounted_requests():
            poller.drain()
        with METER.weighted(1 / 7):
            _scheduled("group_rebalance")

    # -- the day ---------------------------------------------------------------------------------------
    def run(self) -> DayReport:
        started = time.perf_counter()
        self.populate()
        self.plan()
        CLOCK.freeze(DAY)
        with METER.recording(lambda: int((utc_now() - DAY).total_seconds() // 60)) as usage:
            self.loop.run(DAY + timedelta(days=1, minutes=1))
        report = DayReport(self.represented, self.size, usage, self.connection_minutes, self.failures)
        report.call_minutes = self.call_minutes
        CLOCK.advance(3600)
        result = reconcile()
        report.reconciled = result.ok
        report.reconcile_summary = (
            f"{result.wallets_checked} wallets, {result.entries_checked} entries, "
            f"sum of all balances {result.global_sum}, platform accounts {result.platform_balances}"
        )
        report.table_bytes = _table_bytes()
        report.wall_seconds = time.perf_counter() - started
        return report


KYC_DOCUMENT_BYTES = 482_133
_KYC_UPLOAD = {"doc_type": "PAN", "content_type": "image/jpeg", "content_length": KYC_DOCUMENT_BYTES}


def _once(action: Callable[[], Any]) -> Process:
    action()
    yield from ()


def _group_window(group: int) -> Process:
    earning.run_group_window(group)
    yield from ()


def _handler(name: str) -> Callable[..., Any]:
    spec = function(name)
    module = __import__(spec.module, fromlist=[spec.attribute])
    return getattr(module, spec.attribute)  # type: ignore[no-any-return]


def _auth() -> Callable[..., Any]:
    return _handler("auth")


def _local(name: str) -> LocalFunction:
    spec = function(name)
    return LocalFunction.load(spec.name, spec.handler, spec.memory_mb, spec.timeout_seconds)


# The scheduled functions' EventBridge events (events/).
SCHEDULED_EVENTS = {
    "billing_tick": "billing_tick",
    "reconcile": "eventbridge_ledger_reconcile",
    "erasure_sweeper": "eventbridge_erasure_sweeper",
    "midnight_reset": "eventbridge_midnight_reset",
    "group_rebalance": "eventbridge_weekly_rebalance",
}


def _scheduled(name: str) -> Any:
    return _handler(name)(event(SCHEDULED_EVENTS[name]), FakeLambdaContext())


def _get(user_id: str, event_name: str) -> int:
    return int(
        _handler_for(event_name)(http_event(event_name, caller=user_id), FakeLambdaContext())["statusCode"]
    )


def _handler_for(event_name: str) -> Callable[..., Any]:
    return _handler("referrals" if "referrals" in event_name else "wallet")


def _client_upload(user_id: str) -> None:
    """The app posting the document to the presigned form: one S3 PUT of its bytes."""
    import boto3  # noqa: PLC0415

    boto3.client("s3", region_name=os.environ["AWS_REGION"]).put_object(
        Bucket=os.environ["DOCUMENTS_BUCKET_NAME"],
        Key=f"kyc/{user_id}/pan-front",
        Body=b"\0" * KYC_DOCUMENT_BYTES,
    )


def _ip(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def _table_bytes() -> dict[str, int]:
    from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415

    backend = dynamodb_backends["123456789012"]["us-east-1"]
    return {
        name.removeprefix("twtc-"): sum(item.size() for item in table.all_items())
        for name, table in backend.tables.items()
    }


@contextmanager
def fresh_platform() -> Iterator[None]:
    with mock_aws():
        create_resources()
        try:
            yield
        finally:
            CLOCK.reset()


def simulate(users: int, sample: int = SAMPLE, behaviour: Behaviour = BEHAVIOUR) -> DayReport:
    with fresh_platform():
        return Simulation(users, sample, behaviour).run()


def day_usage(report: DayReport) -> DayUsage:
    usage = report.usage
    return DayUsage(
        users=report.users,
        invocations=dict(usage.invocations),
        billed_ms=dict(usage.billed_ms),
        http_requests=usage.triggers["http"],
        http_response_bytes=usage.http_response_bytes,
        websocket_messages=usage.triggers["websocket"]
        + usage.requests["apigatewaymanagementapi.PostToConnection"],
        connection_minutes=report.connection_minutes,
        read_units=sum(usage.read_units.values()),
        write_units=sum(usage.write_units.values()),
        stored_bytes=sum(report.table_bytes.values()) * report.users / report.simulated,
        sqs_requests=usage.service_requests("sqs"),
        s3_puts=usage.requests["s3.PutObject"],
        s3_gets=usage.requests["s3.GetObject"] + usage.requests["s3.HeadObject"],
        log_bytes=usage.log_bytes,
        call_minutes=report.call_minutes,
    )


def print_report(report: DayReport, behaviour: Behaviour = BEHAVIOUR) -> None:
    usage, day = report.usage, day_usage(report)
    print(
        f"Simulated day: {report.users:,} users ({report.simulated} simulated one by one, each standing for "
        f"{report.users / report.simulated:g}) in {report.wall_seconds:.0f} s wall time (goal: < 600 s)."
    )
    print(f"Steps that did not answer as expected: {dict(report.failures) or 'none'}")
    print(
        f"Ledger reconciled after the day: {'every coin accounted for' if report.reconciled else 'NOT OK'} "
        f"({report.reconcile_summary})"
    )
    gb_s = sum(ms / 1000 * function(name).memory_mb / 1024 for name, ms in usage.billed_ms.items())
    table(
        f"The day's usage per AWS service ({report.users:,} users)",
        ("service", "measure", "per day"),
        [
            ("Lambda", "invocations", f"{sum(usage.invocations.values()):,.0f}"),
            ("Lambda", "GB-s (measured handler time under moto x configured memory)", f"{gb_s:,.1f}"),
            ("API Gateway HTTP", "requests", f"{day.http_requests:,.0f}"),
            ("API Gateway WebSocket", "messages (in + pushed)", f"{day.websocket_messages:,.0f}"),
            ("API Gateway WebSocket", "connection-minutes", f"{day.connection_minutes:,.0f}"),
            ("DynamoDB", "read request units", f"{day.read_units:,.0f}"),
            ("DynamoDB", "write request units", f"{day.write_units:,.0f}"),
            ("DynamoDB", "requests", f"{usage.service_requests('dynamodb'):,.0f}"),
            ("SQS", "requests", f"{day.sqs_requests:,.1f}"),
            ("EventBridge", "scheduled invocations", f"{usage.triggers['schedule']:,.0f}"),
            ("S3", "requests / bytes", f"{usage.service_requests('s3'):,.2f} / {usage.s3_bytes:,.0f}"),
            ("CloudFront + WAF", "requests", f"{day.http_requests:,.0f}"),
            ("Cognito", "monthly active users", f"{report.users * behaviour.monthly_active_per_user:,.0f}"),
            ("Cognito", "requests", f"{usage.service_requests('cognito-idp'):,.0f}"),
            ("CloudWatch Logs", "bytes logged", f"{day.log_bytes:,.0f}"),
            ("Twilio", "call minutes", f"{day.call_minutes:,.0f}"),
        ],
    )
    quantities = monthly_quantities(day, behaviour)
    lines = bill(quantities)
    month = total(lines)
    print(
        f"\nPrices of {PRICES_DATED} (bench/prices.py: us-east-1, arm64, on-demand; "
        "no free tier but Cognito's 10,000 MAU)"
    )
    table(
        f"Monthly bill for {TARGET_USERS:,} users (the day x {TARGET_USERS:,}/{report.users:,} x 30): "
        f"${month:,.0f} against the seed's $12,000",
        ("category", "this design", "seed"),
        [
            (category, f"${cost:,.0f}", f"${SEED_BUDGET[category]:,}")
            for category, cost in by_category(lines).items()
        ]
        + [("total", f"${month:,.0f}", "$12,000")],
    )
    table(
        "Top five cost drivers",
        ("line", "quantity", "$ / month"),
        [(line.price, f"{line.quantity:,.0f}", f"{line.cost:,.0f}") for line in lines[:5]],
    )
    table(
        "Levers",
        ("change", "saves $ / month"),
        [
            (lever.name, f"{lever.saves:,.0f}")
            for lever in levers(quantities, day, usage.write_units["tasks"], usage.item_writes["tasks"])
        ],
    )
    keys = hot_keys(usage.hot_keys, report.users, TARGET_USERS)
    table(
        f"Hot keys at {TARGET_USERS:,} users: the worst ten partition-key families "
        f"(limit {PARTITION_WCU_PER_SECOND:,} WCU/s per partition; goal: each <= {HOT_SHARE:.0%})",
        ("table: key family", "busiest key", "WCU/s", "of limit", "from"),
        [(k.family, k.example, f"{k.wcu_per_second:,.1f}", f"{k.share:.1%}", k.source) for k in keys[:10]],
    )
    uses = quota_use(usage, report.simulated, TARGET_USERS)
    table(
        f"Account quotas at {TARGET_USERS:,} users, busiest minute (a group window opening for "
        f"{TARGET_USERS // int(SETTINGS['MINING_GROUPS']):,} users)",
        ("quota", "default", "peak", "minute of day", "reached at users"),
        [
            (
                u.quota,
                f"{u.limit:,}",
                f"{u.peak:,.1f}",
                f"{u.busiest_minute // 60:02d}:{u.busiest_minute % 60:02d}",
                f"{u.users_at_limit * TARGET_USERS:,.0f}",
            )
            for u in uses
        ],
    )
    first, at_users = binding(uses, TARGET_USERS)
    print(
        f"\nBinds first: {first.quota} (default {first.limit:,}) at about {at_users:,.0f} users. "
        "SQS standard queues: no throughput quota."
    )


def print_latency(report: DayReport) -> None:
    started = time.perf_counter()
    samples = latency.measure()
    usage = report.usage
    table(
        f"Latency through the local runtime (loopback, {latency.CONCURRENCY} in flight, moto in-process; "
        f"{time.perf_counter() - started:.0f} s) and the deployed p95 estimated from AWS round trips",
        ("operation", "requests", "p50 ms", "p95 ms", "AWS calls per request", "est. p95 deployed", "goal"),
        latency.rows(samples, usage.route_calls, usage.route_invocations),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="users simulated one by one")
    parser.add_argument("--no-latency", action="store_true", help="skip the local runtime's latency run")
    args = parser.parse_args()
    report = simulate(args.users, args.sample)
    print_report(report)
    if not args.no_latency:
        print_latency(report)


if __name__ == "__main__":
    main()
