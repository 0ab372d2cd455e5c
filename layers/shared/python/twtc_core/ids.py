"""Where ids come from: new ones are ULIDs stamped with the injectable clock (so they sort by time),
business ids are derived deterministically from the event that caused them."""

import hashlib
import uuid

from ulid import ULID

from twtc_core.clock import utc_now


def new_id() -> str:
    return str(ULID.from_datetime(utc_now()))


def derived_id(*parts: str | int) -> str:
    """`derived_id("call", call_id, "min", 3)` -> `call:<call_id>:min:3`: the same event, the same id."""
    return ":".join(str(part) for part in parts)


def stable_id(*parts: str | int) -> str:
    """An opaque id derived from an outside id (a Twilio CallSid): the same input, the same id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, derived_id("twtc", *parts)))


def stable_shard(key: str, shards: int) -> int:
    """The shard (0..shards-1) of a key: spread evenly, and the same on every retry and every reader."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % shards
