"""The videos API's response shape: no question, no answer (a boost asks the question itself)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
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
    "used_today": False,
}


class VideoOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [VIDEO_EXAMPLE]})

    video_id: str
    title: str
    country: str
    place: str
    category: str
    duration_seconds: int
    boost_multiplier_percent: int = Field(description="110-200: a boost multiplies by this / 100.")
    video_url: str
    thumbnail_url: str
    used_today: bool = Field(description="Whether I used it for a boost today (UTC): once a day per video.")

    @classmethod
    def of(cls, video: Video, used_today: bool) -> VideoOut:
        return cls(
            video_id=video.video_id,
            title=video.title,
            country=video.country,
            place=video.place,
            category=video.category,
            duration_seconds=video.duration_seconds,
            boost_multiplier_percent=video.boost_multiplier_percent,
            video_url=video.video_url,
            thumbnail_url=video.thumbnail_url,
            used_today=used_today,
        )


class VideoPageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [VIDEO_EXAMPLE], "next_cursor": None}]}
    )

    items: list[VideoOut]
    next_cursor: str | None
