"""Which 20 tasks a user gets for a day (spec §4): 10 AD, 6 CONTENT, 4 QUIZ; 8/6/4/2 once a SOCIAL task
type is active. Pure: the caller supplies the active types, the quiz bank and the randomness."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from twtc_core.content.models import QuizQuestion, TaskCategory, TaskType
from twtc_core.tasks.models import DayTask, TaskQuestion

MIX = {TaskCategory.AD: 10, TaskCategory.CONTENT: 6, TaskCategory.QUIZ: 4}
MIX_WITH_SOCIAL = {TaskCategory.AD: 8, TaskCategory.CONTENT: 6, TaskCategory.QUIZ: 4, TaskCategory.SOCIAL: 2}


def mix(
    types: Sequence[TaskType], quiz_bank: Sequence[QuizQuestion], per_day: int
) -> dict[TaskCategory, int]:
    """How many tasks of each category. Slots a category cannot fill (no active type; QUIZ: too few
    questions in the bank, each used once a day) go to AD, or to the first category that has types; AD
    also absorbs any difference between the mix and `per_day`."""
    offered = {task_type.category for task_type in types}
    base = MIX_WITH_SOCIAL if TaskCategory.SOCIAL in offered else MIX
    counts = {category: count for category, count in base.items() if category in offered}
    if TaskCategory.QUIZ in counts:
        counts[TaskCategory.QUIZ] = min(counts[TaskCategory.QUIZ], len(quiz_bank))
    if not counts:
        return {}
    spare = per_day - sum(counts.values())
    receiver = TaskCategory.AD if TaskCategory.AD in counts else next(iter(counts))
    counts[receiver] = max(0, counts[receiver] + spare)
    return counts


def compose(
    types: Sequence[TaskType],
    quiz_bank: Sequence[QuizQuestion],
    per_day: int,
    new_id: Callable[[], str],
    rng: random.Random,
) -> tuple[DayTask, ...]:
    """The day's tasks: each category's active types taken in turn from a random start (so users see
    different ones first), QUIZ tasks each with a different question of the bank."""
    tasks: list[DayTask] = []
    questions = rng.sample(list(quiz_bank), k=min(len(quiz_bank), per_day))
    for category, count in mix(types, quiz_bank, per_day).items():
        of_category = sorted((t for t in types if t.category is category), key=lambda t: t.task_type_id)
        start = rng.randrange(len(of_category))
        for n in range(count):
            task_type = of_category[(start + n) % len(of_category)]
            question = questions.pop() if category is TaskCategory.QUIZ else None
            tasks.append(
                DayTask(
                    id=new_id(),
                    type=category,
                    task_type_id=task_type.task_type_id,
                    title=task_type.title,
                    reward=task_type.reward,
                    min_seconds=task_type.min_seconds,
                    body=task_type.body if category is TaskCategory.CONTENT else None,
                    question=_task_question(question) if question else None,
                )
            )
    return tuple(tasks)


def _task_question(quiz: QuizQuestion) -> TaskQuestion:
    return TaskQuestion(
        question_id=quiz.question_id,
        text=quiz.question.text,
        options=dict(quiz.question.options),
        correct_option=quiz.question.correct_option,
    )
