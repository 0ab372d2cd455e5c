"""The content catalog through the real handlers (moto): admin CRUD with validation and answers, the
users' video list without them, and `used_today` from the day's used-video markers."""

from __future__ import annotations

from typing import Any

import pytest

from functions.admin_content.handler import lambda_handler as admin_content
from functions.videos.handler import lambda_handler as videos_handler
from local_runtime.seed import seed_content
from tests.support.accounts import call
from tests.support.content import NEW_QUIZ_QUESTION as QUIZ
from tests.support.content import NEW_TASK_TYPE as TASK_TYPE
from tests.support.content import NEW_VIDEO
from tests.support.events import FakeLambdaContext, body_of, http_event
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.dynamo import Transaction
from twtc_core.tasks.used_videos import UsedVideoStore

ADMIN = "6f1c9a2e-1111-4a5b-9c3d-0000000000ad"
USER = "6f1c9a2e-1111-4a5b-9c3d-0000000000a1"


@pytest.fixture(autouse=True)
def catalog(aws: dict[str, str]) -> None:
    seed_content()


def as_admin(
    method: str, path: str, body: Any = None, *, admin: bool = True, query: dict[str, str] | None = None
) -> tuple[int, Any]:
    """A request to the admin content API, by an admin or (`admin=False`) by a plain user."""
    request = http_event(
        "http_api_admin_content_get", caller=ADMIN if admin else USER, path=path, body=body, query=query
    )
    request["requestContext"]["http"]["method"] = method
    request["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] = "[admin]" if admin else "[]"
    if body is not None:
        request["headers"]["content-type"] = "application/json"
    response = admin_content(request, FakeLambdaContext())
    return int(response["statusCode"]), body_of(response) if response.get("body") else None


def videos(query: dict[str, str] | None = None, user: str = USER) -> dict[str, Any]:
    status, answer, _ = call(videos_handler, "http_api_videos_list", caller=user, query=query or {})
    assert status == 200, answer
    return dict(answer)


def test_admins_create_read_update_and_delete_each_collection_with_answers() -> None:
    for path, body, record_id, change in (
        ("/v1/admin/videos", NEW_VIDEO, NEW_VIDEO["video_id"], {"boost_multiplier_percent": 180}),
        ("/v1/admin/quiz-questions", QUIZ, QUIZ["question_id"], {"active": False}),
        ("/v1/admin/task-types", TASK_TYPE, TASK_TYPE["task_type_id"], {"reward": 70}),
    ):
        status, created = as_admin("POST", path, body)
        assert status == 201, created
        assert as_admin("POST", path, body)[0] == 409
        status, found = as_admin("GET", f"{path}/{record_id}")
        assert status == 200 and found == created
        status, updated = as_admin("PATCH", f"{path}/{record_id}", change)
        assert status == 200 and updated == {**created, **change}
        assert as_admin("DELETE", f"{path}/{record_id}")[0] == 204
        assert as_admin("GET", f"{path}/{record_id}")[0] == 404
        assert as_admin("DELETE", f"{path}/{record_id}")[0] == 404
    status, video = as_admin("GET", "/v1/admin/videos/taj-mahal")
    assert video["question"]["correct_option"] == "B"


INVALID = [
    ("/v1/admin/videos", {**NEW_VIDEO, "boost_multiplier_percent": 250}),
    ("/v1/admin/videos", {**NEW_VIDEO, "boost_multiplier_percent": 109}),
    ("/v1/admin/quiz-questions", {**QUIZ, "question": {**QUIZ["question"], "correct_option": "E"}}),
    (
        "/v1/admin/quiz-questions",
        {**QUIZ, "question": {**QUIZ["question"], "options": {"A": "x", "B": "y", "C": "z"}}},
    ),
    ("/v1/admin/task-types", {**TASK_TYPE, "reward": 0}),
    ("/v1/admin/task-types", {**TASK_TYPE, "min_seconds": 0}),
]


def test_invalid_content_is_422_and_stores_nothing() -> None:
    for path, body in INVALID:
        status, answer = as_admin("POST", path, body)
        assert status == 422, (path, answer)
        record_id = next(value for key, value in body.items() if key.endswith("_id"))
        assert as_admin("GET", f"{path}/{record_id}")[0] == 404


def test_a_plain_user_is_403_on_every_admin_content_route() -> None:
    for method in ("GET", "POST", "PATCH", "DELETE"):
        body = {"POST": TASK_TYPE, "PATCH": {"reward": 70}}.get(method)
        path = "/v1/admin/task-types" + ("" if method == "POST" else "/ad-sponsor-15")
        status, answer = as_admin(method, path, body, admin=False)
        assert (status, answer["error"]["code"]) == (403, "forbidden"), method
    assert as_admin("GET", "/v1/admin/task-types/ad-sponsor-15")[1]["reward"] == 50
    assert as_admin("GET", f"/v1/admin/task-types/{TASK_TYPE['task_type_id']}")[0] == 404


def test_admin_lists_page_through_the_whole_collection() -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        query = {"limit": "10", **({"cursor": cursor} if cursor else {})}
        status, page = as_admin("GET", "/v1/admin/quiz-questions", query=query)
        assert status == 200, page
        seen += [item["question_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 40


def test_users_see_videos_by_country_and_category_without_answers_and_what_they_used_today() -> None:
    # Given Asha used the Taj Mahal video for a boost today
    writes = Transaction()
    UsedVideoStore().mark_used_with(
        writes, USER, utc_day(), "taj-mahal", boost_id="b-1", used_at=iso(utc_now())
    )
    writes.commit()
    # When she lists Indian heritage videos
    listed = videos({"country": "IN", "category": "HERITAGE"})
    # Then each is Indian heritage, none shows its question or answer, and only the Taj Mahal is used
    assert listed["items"] and {(v["country"], v["category"]) for v in listed["items"]} == {
        ("IN", "HERITAGE")
    }
    assert "question" not in str(listed) and "correct_option" not in str(listed)
    assert {v["video_id"]: v["used_today"] for v in listed["items"]}["taj-mahal"] is True
    assert not any(v["used_today"] for v in videos(user=ADMIN)["items"])
