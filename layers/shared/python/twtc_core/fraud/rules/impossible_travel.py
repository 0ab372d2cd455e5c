"""Impossible travel: between the user's last located action and this one, faster than an airliner
(900 km/h, great-circle distance between CloudFront's viewer coordinates). Jumps under 50 km are noise
(geolocation of mobile networks moves that much) and never count."""

from __future__ import annotations

import math

from twtc_core.fraud.models import Action, Finding, Severity, Situation

EARTH_RADIUS_KM = 6371.0
MAX_SPEED_KMH = 900.0
MIN_JUMP_KM = 50.0
IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL"


def distance_km(start: Action, end: Action) -> float:
    """Haversine distance between two located actions."""
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        (start.latitude or 0.0, start.longitude or 0.0, end.latitude or 0.0, end.longitude or 0.0),
    )
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def evaluate(situation: Situation) -> list[Finding]:
    trigger = situation.trigger
    previous = next((earlier for earlier in situation.earlier if earlier.located), None)
    if not trigger.located or previous is None:
        return []
    distance = distance_km(previous, trigger)
    hours = (trigger.at - previous.at).total_seconds() / 3600
    if distance < MIN_JUMP_KM or (hours > 0 and distance / hours <= MAX_SPEED_KMH):
        return []
    evidence = {
        "from": {
            "country": previous.country,
            "lat": previous.latitude,
            "lon": previous.longitude,
            "at": previous.at.isoformat(),
        },
        "to": {
            "country": trigger.country,
            "lat": trigger.latitude,
            "lon": trigger.longitude,
            "at": trigger.at.isoformat(),
        },
        "distance_km": round(distance),
        "speed_kmh": round(distance / hours) if hours > 0 else None,
    }
    return [Finding(IMPOSSIBLE_TRAVEL, Severity.HIGH, evidence)]
