"""Ads function: `POST /v1/ads/impressions` and `POST /v1/ads/impressions/{id}/complete`."""
