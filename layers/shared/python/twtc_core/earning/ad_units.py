"""The ad units of the content catalog (read only): AD_UNIT / <placement>#<ad_unit_id>."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.earning.models import AdUnit, Placement
from twtc_core.settings import TABLES

AD_UNIT_PK = "AD_UNIT"


class _AdUnitItem(Model):
    class Meta:
        table_name = TABLES.content_table_name
        region = TABLES.aws_region

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    ad_unit_id = UnicodeAttribute()
    placement = UnicodeAttribute()
    network = UnicodeAttribute()
    network_ad_unit_id = UnicodeAttribute()
    min_watch_seconds = NumberAttribute()


class AdUnitCatalog:
    def first_for(self, placement: Placement) -> AdUnit | None:
        """The placement's first ad unit (by id), or None when the catalog has none."""
        for item in _AdUnitItem.query(AD_UNIT_PK, _AdUnitItem.sk.startswith(f"{placement}#"), limit=1):
            return AdUnit(
                ad_unit_id=item.ad_unit_id,
                placement=placement,
                network=item.network,
                network_ad_unit_id=item.network_ad_unit_id,
                min_watch_seconds=int(item.min_watch_seconds),
            )
        return None
