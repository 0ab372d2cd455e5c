"""What users see of the video catalog: active videos, filtered, with whether they used each today."""

from __future__ import annotations

from dataclasses import dataclass

from functions.videos.models import VideoOut, VideoPageOut
from twtc_core.clock import utc_day
from twtc_core.content.videos import VideoStore
from twtc_core.tasks.used_videos import UsedVideoStore


@dataclass(frozen=True)
class VideoReads:
    videos: VideoStore
    used: UsedVideoStore


def catalog(
    reads: VideoReads,
    user_id: str,
    *,
    country: str | None,
    category: str | None,
    limit: int,
    cursor: str | None,
) -> VideoPageOut:
    videos, next_cursor = reads.videos.catalog_page(limit, cursor, country=country, category=category)
    used = reads.used.used_on(user_id, utc_day())
    return VideoPageOut(
        items=[VideoOut.of(video, video.video_id in used) for video in videos], next_cursor=next_cursor
    )
