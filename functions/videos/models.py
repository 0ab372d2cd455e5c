"""The videos API's response shape: no question, no answer (a boost asks the question itself)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from twtc_core.content.models import Video
from twtc_core.content.views import VIDEO_EXAMPLE as USER_FIELDS_EXAMPLE
from twtc_core.content.views import VideoView

VIDEO_EXAMPLE: JsonDict = {**USER_FIELDS_EXAMPLE, "used_today": False}


class VideoOut(VideoView):
    model_config = ConfigDict(json_schema_extra={"examples": [VIDEO_EXAMPLE]})

    used_today: bool = Field(description="Whether I used it for a boost today (UTC): once a day per video.")

    @classmethod
    def of(cls, video: Video, used_today: bool) -> VideoOut:
        return cls(**VideoView.fields_of(video), used_today=used_today)


class VideoPageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [VIDEO_EXAMPLE], "next_cursor": None}]}
    )

    items: list[VideoOut]
    next_cursor: str | None
