"""Admin rules for the content catalog: only admins; ids are unique per collection (409 on a taken one),
an unknown id is 404; what is stored passed the input models' validation. One set of rules serves the
three collections (videos, quiz questions, task types)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from twtc_core import errors
from twtc_core.admin import Actor, require_admin
from twtc_core.clock import iso, utc_now
from twtc_core.content._table import CatalogStore

R = TypeVar("R")


class ContentNotFound(errors.NotFound):
    code = "not_found"


class ContentExists(errors.Conflict):
    code = "already_exists"


@dataclass(frozen=True)
class Collection(Generic[R]):
    store: CatalogStore[R, Any]
    noun: str  # "video", for messages


def page(
    actor: Actor, collection: Collection[R], limit: int, cursor: str | None
) -> tuple[list[R], str | None]:
    require_admin(actor)
    return collection.store.page(limit, cursor)


def get(actor: Actor, collection: Collection[R], record_id: str) -> R:
    require_admin(actor)
    return _existing(collection, record_id)


def create(actor: Actor, collection: Collection[R], record_id: str, new: Any) -> R:
    """`new` builds the record (`VideoIn.record`), stamped with the server's time."""
    require_admin(actor)
    record: R = new.record(iso(utc_now()))
    if not collection.store.create(record):
        raise ContentExists(f"A {collection.noun} with this id exists.", {"id": record_id})
    return record


def update(actor: Actor, collection: Collection[R], record_id: str, changes: dict[str, Any]) -> R:
    """Last write wins: concurrent admin edits of one record are not expected."""
    require_admin(actor)
    changed = replace(_existing(collection, record_id), **changes)  # type: ignore[type-var]
    if not collection.store.replace(changed):
        raise _not_found(collection)
    return changed


def delete(actor: Actor, collection: Collection[R], record_id: str) -> None:
    """Tasks already handed out keep their copy (title, reward, question): a deletion changes no one's day."""
    require_admin(actor)
    if not collection.store.delete(record_id):
        raise _not_found(collection)


def _existing(collection: Collection[R], record_id: str) -> R:
    record = collection.store.get(record_id)
    if record is None:
        raise _not_found(collection)
    return record


def _not_found(collection: Collection[R]) -> ContentNotFound:
    return ContentNotFound(f"No such {collection.noun}.")
