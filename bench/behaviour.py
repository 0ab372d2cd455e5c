"""The simulated user-day's behaviour mix, declared once (seed 004's numbers where it gives them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Behaviour:
    # Seed: mining sessions per user per day 4-6; a 4-hour cycle allows 6 (one per group window).
    mining_sessions: int = 5
    # Seed: ad impressions 6-8 a day: one per mining session, the rest within daily tasks.
    boosts: int = 3  # spec §10 MAX_BOOSTS_PER_DAY
    tasks: int = 20  # spec §10 TASKS_PER_DAY, all done (seed target: > 70 % of users)
    sign_ins: int = 1  # a password login a day; the app refreshes its tokens at every other visit
    wallet_reads_per_visit: int = 1
    history_reads: int = 1
    referral_page_reads: float = 0.2
    # Seed: average session > 10 minutes; a visit is one session of the app with its WebSocket open.
    visit_minutes: int = 10
    heartbeat_minutes: int = 5  # presence: clients send one every <= 5 minutes
    # New users a day per existing user, each coming with a referral code.
    referred_signups: float = 0.01
    # 5 % of users call a host for about 6 minutes.
    callers: float = 0.05
    call_minutes: int = 6
    hosts: float = 0.01  # share of users who accept calls
    # Hosts pass KYC once and withdraw once a month: pro-rated to a day.
    host_kyc_per_day: float = 1 / 30
    host_withdrawals_per_day: float = 1 / 30
    # Of a group's users, the share who start in the first minute of their window (the open push wakes
    # them); the rest spread over the window.
    window_first_minute: float = 0.2
    # 1 million users, each active every day: the upper bound of the seed's DAU/MAU >= 40 %.
    monthly_active_per_user: float = 1.0


BEHAVIOUR = Behaviour()
