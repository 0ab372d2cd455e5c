"""What every view of a video shows (users' list, admin reads): its public fields. Each view adds its own
(the user's `used_today`; the admin's question with its answer)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from twtc_core.content.models import Video

VIDEO_EXAMPLE: JsonDict = {
    "video_id": "taj-mahal",
    "title": "The Taj Mahal at sunrise",
    "country": "IN",
    "place": "Agra",
    "category": "HERITAGE",
    "duration_seconds": 90,
    "boost_multiplier_percent": 150,
    "video_url": "https://media.twtc.example/videos/taj-mahal.mp4",
    "thumbnail_url": "https://media.twtc.example/thumbs/taj-mahal.jpg",
}


class VideoView(BaseModel):
    video_id: str
    title: str
    country: str = Field(description="ISO 3166-1 alpha-2")
    place: str
    category: str
    duration_seconds: int
    boost_multiplier_percent: int = Field(description="110-200: a boost multiplies by this / 100.")
    video_url: str
    thumbnail_url: str

    @staticmethod
    def fields_of(video: Video) -> dict[str, Any]:
        return {name: getattr(video, name) for name in VideoView.model_fields}
