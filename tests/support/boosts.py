"""Driving boosts through the real handler, and a user with an ACTIVE mining session to boost."""

from __future__ import annotations

from typing import Any

from functions.boosts.handler import lambda_handler as boosts_handler
from tests.support.earning import call, move_clock_to_window, provision, start_mining, watched_impression


def mining_user(user_id: str, group: int) -> dict[str, Any]:
    """The user provisioned in `group`, mining since their group's next window; returns the session."""
    provision(user_id, group)
    move_clock_to_window(group)
    status, session = start_mining(user_id, watched_impression(user_id))
    assert status == 201, session
    return dict(session)


def start_boost(user_id: str, video_id: str) -> tuple[int, Any]:
    return call(boosts_handler, "http_api_boosts_start", user_id, body={"video_id": video_id})


def ask(user_id: str, boost_id: str) -> tuple[int, Any]:
    return call(boosts_handler, "http_api_boosts_question", user_id, path=f"/v1/boosts/{boost_id}/question")


def answer(user_id: str, boost_id: str, option: str) -> tuple[int, Any]:
    path = f"/v1/boosts/{boost_id}/answer"
    return call(boosts_handler, "http_api_boosts_answer", user_id, path=path, body={"option": option})
