"""KYC submissions in the users table (docs/access-patterns.md, "KYC"):

  KYC#<kyc_id> / SUBMISSION     the submission (masked number only)
      gsi1: KYC_QUEUE#<status> / <created_at>#<kyc_id>   the review queue
  USER#<user>  / KYC            the user's current submission and its status: the one-open-at-a-time guard
  USER#<user>  / KYC_SUBMISSION#<kyc_id>   each of the user's submissions (erasure finds them all)
  KYC_EVENT#<event_id> / EVENT  a provider webhook already applied (replays are no-ops), TTL 7 days

Opening and deciding a submission change the profile's `kyc_status` in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.accounts.stores._table import UsersTable, user_key
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import iso, utc_now
from twtc_core.dynamo import Transaction, update_if
from twtc_core.kyc.models import DocType, KycStatus, KycSubmission
from twtc_core.pagination import encode_cursor, resume_key

SUBMISSION_SK = "SUBMISSION"
CURRENT_SK = "KYC"
EVENT_SK = "EVENT"
SUBMISSION_LINK_PREFIX = "KYC_SUBMISSION#"
# Longer than any provider's webhook retry window; a replay older than the 5-minute tolerance is stale anyway.
EVENT_MEMORY = timedelta(days=7)


class _QueueIndex(GlobalSecondaryIndex["_SubmissionItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _SubmissionItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=SUBMISSION_SK)
    kyc_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    doc_type = UnicodeAttribute()
    masked_number = UnicodeAttribute()
    document_key = UnicodeAttribute()
    status = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    provider = UnicodeAttribute()
    provider_reference = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    decided_at = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_status = _QueueIndex()


class _CurrentItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=CURRENT_SK)
    kyc_id = UnicodeAttribute()
    status = UnicodeAttribute()


class _SubmissionLinkItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kyc_id = UnicodeAttribute()


class _EventItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=EVENT_SK)
    kyc_id = UnicodeAttribute()
    expires_at = NumberAttribute()


def _submission_key(kyc_id: str) -> str:
    return f"KYC#{kyc_id}"


def _queue_key(status: KycStatus) -> str:
    return f"KYC_QUEUE#{status.value}"


def _submission(item: _SubmissionItem) -> KycSubmission:
    return KycSubmission(
        kyc_id=item.kyc_id,
        user_id=item.user_id,
        doc_type=DocType(item.doc_type),
        masked_number=item.masked_number,
        document_key=item.document_key,
        status=KycStatus(item.status),
        reason=item.reason,
        provider=item.provider,
        provider_reference=item.provider_reference,
        created_at=item.created_at,
        decided_at=item.decided_at,
        decided_by=item.decided_by,
    )


class Decided(StrEnum):
    APPLIED = "APPLIED"
    REPLAYED = "REPLAYED"  # the webhook event was applied before: nothing changed
    NOT_OPEN = "NOT_OPEN"  # the submission's status does not allow this decision: nothing changed


class KycStore:
    def __init__(self, profiles: ProfileStore | None = None) -> None:
        self._profiles = profiles or ProfileStore()

    def get(self, kyc_id: str) -> KycSubmission | None:
        try:
            return _submission(
                _SubmissionItem.get(_submission_key(kyc_id), SUBMISSION_SK, consistent_read=True)
            )
        except _SubmissionItem.DoesNotExist:
            return None

    def current_of(self, user_id: str) -> KycSubmission | None:
        """The user's latest submission (None before the first)."""
        try:
            current = _CurrentItem.get(user_key(user_id), CURRENT_SK, consistent_read=True)
        except _CurrentItem.DoesNotExist:
            return None
        return self.get(current.kyc_id)

    def open(self, submission: KycSubmission) -> bool:
        """Record a PENDING submission as the user's current one and their profile PENDING; False (nothing
        written) when their current one is not REJECTED, or their profile is gone or VERIFIED."""
        writes = Transaction()
        writes.put(
            _SubmissionItem(
                _submission_key(submission.kyc_id),
                kyc_id=submission.kyc_id,
                user_id=submission.user_id,
                doc_type=submission.doc_type.value,
                masked_number=submission.masked_number,
                document_key=submission.document_key,
                status=submission.status.value,
                provider=submission.provider,
                created_at=submission.created_at,
                gsi1pk=_queue_key(submission.status),
                gsi1sk=f"{submission.created_at}#{submission.kyc_id}",
            ),
            _SubmissionItem.pk.does_not_exist(),
        )
        writes.put(
            _CurrentItem(
                user_key(submission.user_id), kyc_id=submission.kyc_id, status=submission.status.value
            ),
            _CurrentItem.pk.does_not_exist() | (_CurrentItem.status == KycStatus.REJECTED.value),
        )
        writes.put(
            _SubmissionLinkItem(
                user_key(submission.user_id),
                f"{SUBMISSION_LINK_PREFIX}{submission.kyc_id}",
                kyc_id=submission.kyc_id,
            )
        )
        self._profiles.set_kyc_status_with(writes, submission.user_id, submission.status)
        return not writes.commit()

    def erase_all_of(self, user_id: str) -> None:
        """The user's submissions (and their links) and current pointer, links last so a retry after a
        crash still finds every submission. Running it again finds nothing and does nothing."""
        links = list(
            _SubmissionLinkItem.query(
                user_key(user_id),
                _SubmissionLinkItem.sk.startswith(SUBMISSION_LINK_PREFIX),
                consistent_read=True,
            )
        )
        try:
            current = _CurrentItem.get(user_key(user_id), CURRENT_SK, consistent_read=True)
        except _CurrentItem.DoesNotExist:
            current = None
        kyc_ids = {link.kyc_id for link in links} | ({current.kyc_id} if current else set())
        with _SubmissionItem.batch_write() as batch:
            for kyc_id in sorted(kyc_ids):
                batch.delete(_SubmissionItem(_submission_key(kyc_id), SUBMISSION_SK))
        with _SubmissionLinkItem.batch_write() as batch:
            for link in links:
                batch.delete(link)
        if current is not None:
            current.delete()

    def set_provider_reference(self, kyc_id: str, reference: str) -> None:
        update_if(
            _SubmissionItem(_submission_key(kyc_id), SUBMISSION_SK),
            [_SubmissionItem.provider_reference.set(reference)],
            _SubmissionItem.pk.exists(),
        )

    def decide(
        self,
        submission: KycSubmission,
        status: KycStatus,
        reason: str | None,
        decided_by: str,
        *,
        allowed_from: tuple[KycStatus, ...],
        event_id: str | None = None,
    ) -> Decided:
        """Set the submission, the user's current one (if it still is) and their profile to `status`, if
        the submission is in one of `allowed_from`; with the provider's `event_id` remembered, once."""
        now = utc_now()
        writes = Transaction()
        replay = None
        if event_id is not None:
            replay = writes.put(
                _EventItem(
                    f"KYC_EVENT#{event_id}",
                    kyc_id=submission.kyc_id,
                    expires_at=int((now + EVENT_MEMORY).timestamp()),
                ),
                _EventItem.pk.does_not_exist(),
            )
        reason_action = _SubmissionItem.reason.set(reason) if reason else _SubmissionItem.reason.remove()
        writes.update(
            _SubmissionItem(_submission_key(submission.kyc_id), SUBMISSION_SK),
            [
                _SubmissionItem.status.set(status.value),
                reason_action,
                _SubmissionItem.decided_at.set(iso(now)),
                _SubmissionItem.decided_by.set(decided_by),
                _SubmissionItem.gsi1pk.set(_queue_key(status)),
            ],
            _SubmissionItem.status.is_in(*(allowed.value for allowed in allowed_from)),
        )
        writes.update(
            _CurrentItem(user_key(submission.user_id), CURRENT_SK),
            [_CurrentItem.status.set(status.value)],
            _CurrentItem.kyc_id == submission.kyc_id,
        )
        self._profiles.set_kyc_status_with(writes, submission.user_id, status)
        failed = writes.commit()
        if not failed:
            return Decided.APPLIED
        return Decided.REPLAYED if replay in failed else Decided.NOT_OPEN

    def queue(
        self, status: KycStatus, limit: int, cursor: str | None
    ) -> tuple[list[KycSubmission], str | None]:
        """One page of the submissions in `status`, oldest first (the review queue)."""
        start_key = resume_key(
            cursor, key_names=("pk", "sk", "gsi1pk", "gsi1sk"), partition=("gsi1pk", _queue_key(status))
        )
        results = _SubmissionItem.by_status.query(
            _queue_key(status), limit=limit, last_evaluated_key=start_key
        )
        return [_submission(item) for item in results], encode_cursor(results.last_evaluated_key)
