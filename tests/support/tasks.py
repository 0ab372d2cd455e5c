"""Driving daily tasks and content through the real handlers, as a plain user or as an admin."""

from __future__ import annotations

from typing import Any

from functions.tasks.handler import lambda_handler as tasks_handler
from tests.support.accounts import call
from twtc_core.tasks.models import DayTask

ADMIN_CLAIMS_GROUPS = "[admin]"


def tasks_call(user_id: str, event: str, path: str | None = None, body: Any = None) -> tuple[int, Any]:
    status, answer, _ = call(tasks_handler, event, caller=user_id, path=path, body=body)
    return int(status), answer


def today(user_id: str) -> list[dict[str, Any]]:
    status, answer = tasks_call(user_id, "http_api_tasks_today")
    assert status == 200, answer
    return list(answer["items"])


def start(user_id: str, task_id: str) -> tuple[int, Any]:
    return tasks_call(user_id, "http_api_tasks_start", path=f"/v1/tasks/{task_id}/start")


def complete(user_id: str, task_id: str, option: str | None = None) -> tuple[int, Any]:
    body = {"option": option} if option is not None else {}
    return tasks_call(user_id, "http_api_tasks_complete", path=f"/v1/tasks/{task_id}/complete", body=body)


def right_option(task: DayTask) -> str:
    assert task.question is not None
    return task.question.correct_option


def wrong_option(task: DayTask) -> str:
    return next(option for option in "ABCD" if option != right_option(task))
