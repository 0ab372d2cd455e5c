"""The day's task mix (spec §4): 10 AD, 6 CONTENT, 4 QUIZ; 8/6/4/2 once SOCIAL is active; slots a
category cannot fill go to AD."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from functions.tasks.composition import compose, mix
from twtc_core.content.models import Question, QuizQuestion, TaskCategory, TaskType

AD, CONTENT, QUIZ, SOCIAL = TaskCategory.AD, TaskCategory.CONTENT, TaskCategory.QUIZ, TaskCategory.SOCIAL


def task_type(category: TaskCategory, n: int) -> TaskType:
    body = "Read this." if category is CONTENT else None
    return TaskType(
        f"{category.lower()}-{n}", category, f"{category} {n}", 15, 50 + n, True, body, "2026-11-25"
    )


def bank(size: int) -> list[QuizQuestion]:
    question = Question("Capital of Peru?", {"A": "Cusco", "B": "Lima", "C": "Quito", "D": "Puno"}, "B")
    return [QuizQuestion(f"q-{n}", "capitals", question, True, "2026-11-25") for n in range(size)]


SEEDED = [task_type(AD, 1), task_type(AD, 2), task_type(CONTENT, 1), task_type(QUIZ, 1)]


@pytest.mark.parametrize(
    ("types", "questions", "expected"),
    [
        (SEEDED, 40, {AD: 10, CONTENT: 6, QUIZ: 4}),
        ([*SEEDED, task_type(SOCIAL, 1)], 40, {AD: 8, CONTENT: 6, QUIZ: 4, SOCIAL: 2}),
        (SEEDED, 2, {AD: 12, CONTENT: 6, QUIZ: 2}),
        (SEEDED, 0, {AD: 14, CONTENT: 6, QUIZ: 0}),
        ([task_type(AD, 1), task_type(QUIZ, 1)], 40, {AD: 16, QUIZ: 4}),
        ([task_type(CONTENT, 1)], 40, {CONTENT: 20}),
        ([], 40, {}),
    ],
)
def test_the_mix_of_the_day(types: list[TaskType], questions: int, expected: dict[TaskCategory, int]) -> None:
    assert mix(types, bank(questions), per_day=20) == expected


def test_a_composed_day_has_twenty_tasks_with_distinct_ids_and_questions() -> None:
    ids = (f"task-{n}" for n in itertools.count())
    tasks = compose([*SEEDED, task_type(SOCIAL, 1)], bank(40), 20, lambda: next(ids), random.Random(7))
    assert Counter(task.type for task in tasks) == {AD: 8, CONTENT: 6, QUIZ: 4, SOCIAL: 2}
    assert len({task.id for task in tasks}) == 20
    quizzes = [task.question for task in tasks if task.type is QUIZ]
    assert all(quizzes) and len({q.question_id for q in quizzes if q}) == 4
    assert all(task.body for task in tasks if task.type is CONTENT)
    assert {task.task_type_id for task in tasks if task.type is AD} == {"ad-1", "ad-2"}
