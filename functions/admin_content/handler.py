"""Admin content API handler: parse, call one logic function, shape the response. The three collections
share the rules (logic.py); each route names its collection and its input and output shapes."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from functions.admin_content import logic
from functions.admin_content.models import (
    QuizAdminOut,
    QuizIn,
    QuizPageOut,
    QuizPatch,
    TaskTypeAdminOut,
    TaskTypeIn,
    TaskTypePageOut,
    TaskTypePatch,
    VideoAdminOut,
    VideoAdminPageOut,
    VideoIn,
    VideoPatch,
)
from twtc_core.api import build_resolver, caller_actor, documented
from twtc_core.content.models import QuizQuestion, TaskType, Video
from twtc_core.content.quiz import QuizStore
from twtc_core.content.task_types import TaskTypeStore
from twtc_core.content.videos import VideoStore
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT

VIDEOS = logic.Collection[Video](VideoStore(), "video")
QUIZ = logic.Collection[QuizQuestion](QuizStore(), "quiz question")
TASK_TYPES = logic.Collection[TaskType](TaskTypeStore(), "task type")
app = build_resolver()
ContentId = Annotated[str, Path(min_length=1, max_length=64)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=2048)]
DENIED = (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)


def read(model: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    return documented(model, *DENIED, HTTPStatus.NOT_FOUND)


def created(model: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    return documented(
        model, *DENIED, HTTPStatus.CONFLICT, HTTPStatus.UNPROCESSABLE_ENTITY, status=HTTPStatus.CREATED
    )


def patched(model: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    return documented(model, *DENIED, HTTPStatus.NOT_FOUND, HTTPStatus.UNPROCESSABLE_ENTITY)


def deleted(model: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    errors = documented(model, *DENIED, HTTPStatus.NOT_FOUND)
    errors.pop(HTTPStatus.OK.value)
    return {HTTPStatus.NO_CONTENT.value: {"description": "Deleted; nothing to return."}, **errors}


# --- videos ------------------------------------------------------------------------------------------
@app.get("/v1/admin/videos", summary="Videos, with their answers (admin)", responses=read(VideoAdminPageOut))
def admin_list_videos(limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> VideoAdminPageOut:
    items, next_cursor = logic.page(caller_actor(app), VIDEOS, limit, cursor)
    return VideoAdminPageOut(items=[VideoAdminOut.of(item) for item in items], next_cursor=next_cursor)


@app.get("/v1/admin/videos/<id>", summary="A video with its answer (admin)", responses=read(VideoAdminOut))
def get_video(id: ContentId) -> VideoAdminOut:
    return VideoAdminOut.of(logic.get(caller_actor(app), VIDEOS, id))


@app.post("/v1/admin/videos", summary="Add a video (admin)", responses=created(VideoAdminOut))
def create_video(video: VideoIn) -> tuple[VideoAdminOut, int]:
    return VideoAdminOut.of(
        logic.create(caller_actor(app), VIDEOS, video.video_id, video)
    ), HTTPStatus.CREATED


@app.patch("/v1/admin/videos/<id>", summary="Change a video (admin)", responses=patched(VideoAdminOut))
def update_video(id: ContentId, changes: VideoPatch) -> VideoAdminOut:
    return VideoAdminOut.of(logic.update(caller_actor(app), VIDEOS, id, changes.changes()))


@app.delete("/v1/admin/videos/<id>", summary="Delete a video (admin)", responses=deleted(VideoAdminOut))
def delete_video(id: ContentId) -> Response[None]:
    logic.delete(caller_actor(app), VIDEOS, id)
    return Response(status_code=HTTPStatus.NO_CONTENT)


# --- quiz bank ---------------------------------------------------------------------------------------
@app.get(
    "/v1/admin/quiz-questions", summary="The quiz bank, with answers (admin)", responses=read(QuizPageOut)
)
def list_quiz(limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> QuizPageOut:
    items, next_cursor = logic.page(caller_actor(app), QUIZ, limit, cursor)
    return QuizPageOut(items=[QuizAdminOut.of(item) for item in items], next_cursor=next_cursor)


@app.get("/v1/admin/quiz-questions/<id>", summary="A quiz question (admin)", responses=read(QuizAdminOut))
def get_quiz(id: ContentId) -> QuizAdminOut:
    return QuizAdminOut.of(logic.get(caller_actor(app), QUIZ, id))


@app.post("/v1/admin/quiz-questions", summary="Add a quiz question (admin)", responses=created(QuizAdminOut))
def create_quiz(question: QuizIn) -> tuple[QuizAdminOut, int]:
    return QuizAdminOut.of(
        logic.create(caller_actor(app), QUIZ, question.question_id, question)
    ), HTTPStatus.CREATED


@app.patch(
    "/v1/admin/quiz-questions/<id>", summary="Change a quiz question (admin)", responses=patched(QuizAdminOut)
)
def update_quiz(id: ContentId, changes: QuizPatch) -> QuizAdminOut:
    return QuizAdminOut.of(logic.update(caller_actor(app), QUIZ, id, changes.changes()))


@app.delete(
    "/v1/admin/quiz-questions/<id>", summary="Delete a quiz question (admin)", responses=deleted(QuizAdminOut)
)
def delete_quiz(id: ContentId) -> Response[None]:
    logic.delete(caller_actor(app), QUIZ, id)
    return Response(status_code=HTTPStatus.NO_CONTENT)


# --- task types --------------------------------------------------------------------------------------
@app.get("/v1/admin/task-types", summary="Task types (admin)", responses=read(TaskTypePageOut))
def list_task_types(limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> TaskTypePageOut:
    items, next_cursor = logic.page(caller_actor(app), TASK_TYPES, limit, cursor)
    return TaskTypePageOut(items=[TaskTypeAdminOut.of(item) for item in items], next_cursor=next_cursor)


@app.get("/v1/admin/task-types/<id>", summary="A task type (admin)", responses=read(TaskTypeAdminOut))
def get_task_type(id: ContentId) -> TaskTypeAdminOut:
    return TaskTypeAdminOut.of(logic.get(caller_actor(app), TASK_TYPES, id))


@app.post("/v1/admin/task-types", summary="Add a task type (admin)", responses=created(TaskTypeAdminOut))
def create_task_type(task_type: TaskTypeIn) -> tuple[TaskTypeAdminOut, int]:
    record = logic.create(caller_actor(app), TASK_TYPES, task_type.task_type_id, task_type)
    return TaskTypeAdminOut.of(record), HTTPStatus.CREATED


@app.patch(
    "/v1/admin/task-types/<id>", summary="Change a task type (admin)", responses=patched(TaskTypeAdminOut)
)
def update_task_type(id: ContentId, changes: TaskTypePatch) -> TaskTypeAdminOut:
    return TaskTypeAdminOut.of(logic.update(caller_actor(app), TASK_TYPES, id, changes.changes()))


@app.delete(
    "/v1/admin/task-types/<id>", summary="Delete a task type (admin)", responses=deleted(TaskTypeAdminOut)
)
def delete_task_type(id: ContentId) -> Response[None]:
    logic.delete(caller_actor(app), TASK_TYPES, id)
    return Response(status_code=HTTPStatus.NO_CONTENT)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
