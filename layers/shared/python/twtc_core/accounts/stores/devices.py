"""Devices: USER#<user> / DEVICE#<device>, a device the user signed up or logged in from.

GSI gsi1: DEVICE#<device> / USER#<user> (the accounts on a device).
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.accounts.models import Device
from twtc_core.accounts.stores._table import UsersTable, user_key
from twtc_core.dynamo import Check, Transaction


class _AccountsOnDeviceIndex(GlobalSecondaryIndex["_DeviceItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _DeviceItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    device_id = UnicodeAttribute()
    first_seen_at = UnicodeAttribute()
    last_seen_at = UnicodeAttribute()
    last_ip = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute()  # the accounts-on-a-device index (kept for fraud review)
    gsi1sk = UnicodeAttribute()
    accounts_on_device = _AccountsOnDeviceIndex()


def _device_key(device_id: str) -> str:
    return f"DEVICE#{device_id}"


def _device(item: _DeviceItem) -> Device:
    return Device(
        user_id=item.user_id,
        device_id=item.device_id,
        first_seen_at=item.first_seen_at,
        last_seen_at=item.last_seen_at,
        last_ip=item.last_ip,
    )


class DeviceStore:
    def get(self, user_id: str, device_id: str) -> Device | None:
        try:
            return _device(_DeviceItem.get(user_key(user_id), _device_key(device_id), consistent_read=True))
        except _DeviceItem.DoesNotExist:
            return None

    def remember_with(
        self, writes: Transaction, user_id: str, device: str, ip: str | None, seen_at: str, *, known: bool
    ) -> Check | None:
        """Create or refresh the device record (first_seen_at is kept); with `known`, only refresh one
        that exists, and the returned check fails when it does not."""
        return writes.update(
            _DeviceItem(user_key(user_id), _device_key(device)),
            [
                _DeviceItem.user_id.set(user_id),
                _DeviceItem.device_id.set(device),
                _DeviceItem.first_seen_at.set(_DeviceItem.first_seen_at | seen_at),
                _DeviceItem.last_seen_at.set(seen_at),
                _DeviceItem.last_ip.set(ip) if ip else _DeviceItem.last_ip.remove(),
                _DeviceItem.gsi1pk.set(_device_key(device)),
                _DeviceItem.gsi1sk.set(user_key(user_id)),
            ],
            _DeviceItem.pk.exists() if known else None,
        )

    def unknown_check_with(self, writes: Transaction, user_id: str, device_id: str) -> Check | None:
        """Write nothing; the check fails when the device is the user's."""
        return writes.check(
            _DeviceItem, user_key(user_id), _device_key(device_id), _DeviceItem.pk.does_not_exist()
        )

    def accounts_on(self, device_id: str, limit: int) -> frozenset[str]:
        """Up to `limit` accounts that signed up or logged in from the device (gsi1, one query)."""
        items = _DeviceItem.accounts_on_device.query(_device_key(device_id), limit=limit)
        return frozenset(item.user_id for item in items)

    def devices_of(self, user_id: str) -> list[Device]:
        items = _DeviceItem.query(user_key(user_id), _DeviceItem.sk.startswith(_device_key("")))
        return [_device(item) for item in items]

    def forget_devices_of(self, user_id: str) -> None:
        with _DeviceItem.batch_write() as batch:
            for item in _DeviceItem.query(user_key(user_id), _DeviceItem.sk.startswith(_device_key(""))):
                batch.delete(item)
