"""Seed data for a fresh local platform: the content catalog (tourism videos with their quiz, task types
of every category, the quiz bank, ad units; files in `seed_data/`) and an admin account.

Items follow the content table's key design (docs/access-patterns.md):
  VIDEO     / VIDEO#<video_id>                    a tourism video and its multiple-choice question
  TASK_TYPE / TASK_TYPE#<task_type_id>           AD | CONTENT | QUIZ | SOCIAL (SOCIAL starts inactive)
  QUIZ      / QUIZ#<question_id>                  the quiz bank QUIZ tasks draw from
  AD_UNIT   / <placement>#<ad_unit_id>            MINING (60 s) | TASK (15-30 s)
"""

from __future__ import annotations

import json
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from infra_cdk.wiring import CONTENT, USER_POOL
from local_runtime.resources import REGION
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import UserPool

SEED_DATA = Path(__file__).parent / "seed_data"
ADMIN_EMAIL = "admin@twtc.local"


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((SEED_DATA / f"{name}.json").read_text())


def content_items() -> list[dict[str, Any]]:
    created_at = iso(utc_now())
    videos = [
        {"pk": "VIDEO", "sk": f"VIDEO#{video['video_id']}", "active": True, **video}
        for video in _load("videos")
    ]
    task_types = [
        {"pk": "TASK_TYPE", "sk": f"TASK_TYPE#{task['task_type_id']}", **task} for task in _load("task_types")
    ]
    quiz_bank = [
        {"pk": "QUIZ", "sk": f"QUIZ#{question['question_id']}", **question}
        for question in _load("quiz_questions")
    ]
    ad_units = [
        {"pk": "AD_UNIT", "sk": f"{unit['placement']}#{unit['ad_unit_id']}", **unit}
        for unit in _load("ad_units")
    ]
    return [{**item, "created_at": created_at} for item in videos + task_types + quiz_bank + ad_units]


def seed_content() -> int:
    table = boto3.resource("dynamodb", region_name=REGION).Table(CONTENT.physical_name)
    items = content_items()
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return len(items)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def generated_password() -> str:
    """Meets the pool's policy: letters of both cases, a digit and a symbol."""
    alphabet = string.ascii_letters + string.digits
    return "Tw!" + secrets.choice(string.digits) + "".join(secrets.choice(alphabet) for _ in range(16))


def create_admin(user_pool_id: str, client_id: str) -> Credentials:
    """A confirmed user in the `admin` group with a fresh password (printed at start). Signed up and
    confirmed like any user, so the confirmation trigger provisions its profile and wallet."""
    cognito = boto3.client("cognito-idp", region_name=REGION)
    password = generated_password()
    app_client = UserPool(
        user_pool_id, client_id, REGION, client_secret_id=os.environ[USER_POOL.client_secret_env_var]
    )
    app_client.sign_up(
        ADMIN_EMAIL,
        password,
        {
            "email": ADMIN_EMAIL,
            "name": "TWTC admin",
            "custom:device_id": "local-seed",
            "custom:signup_ip": "127.0.0.1",
        },
    )
    cognito.admin_confirm_sign_up(UserPoolId=user_pool_id, Username=ADMIN_EMAIL)
    cognito.admin_add_user_to_group(UserPoolId=user_pool_id, Username=ADMIN_EMAIL, GroupName="admin")
    return Credentials(ADMIN_EMAIL, password)
