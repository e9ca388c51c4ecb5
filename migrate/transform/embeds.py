"""The video sites whose players the converter keeps (as the layout's shortcode or an ``<iframe>``): the one list
the converter (:mod:`.markdown`) and the sanitiser (:mod:`.sanitize`, which lets only these iframes through) share."""

from __future__ import annotations

import re

YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|v/|shorts/)|youtu\.be/)([\w-]{6,})")
VIMEO = re.compile(r"vimeo\.com/(?:video/)?(\d+)")
VIDEOPRESS = re.compile(r"videopress\.com/(?:v|embed)/(\w+)")


def embed_player(url: str) -> str | None:
    """The iframe URL of a video page we know how to play (YouTube, Vimeo, VideoPress), else None."""
    if m := YOUTUBE.search(url):
        return f"https://www.youtube.com/embed/{m.group(1)}"
    if m := VIMEO.search(url):
        return f"https://player.vimeo.com/video/{m.group(1)}"
    if m := VIDEOPRESS.search(url):
        return f"https://videopress.com/embed/{m.group(1)}"
    return None
