"""Valid new catalog records, as an admin would send them (shared by the integration and e2e tests)."""

from __future__ import annotations

import json
from typing import Any

from tests.support.events import event

NEW_VIDEO: dict[str, Any] = json.loads(event("http_api_admin_videos_create")["body"])
NEW_QUIZ_QUESTION: dict[str, Any] = {
    "question_id": "capitals-99",
    "topic": "capitals",
    "question": {
        "text": "What is the capital of Peru?",
        "options": {"A": "Cusco", "B": "Lima", "C": "Arequipa", "D": "Quito"},
        "correct_option": "B",
    },
}
NEW_TASK_TYPE: dict[str, Any] = {
    "task_type_id": "ad-sponsor-25",
    "category": "AD",
    "title": "Watch a sponsor video",
    "min_seconds": 25,
    "reward": 55,
}
