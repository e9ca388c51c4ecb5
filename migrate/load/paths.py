"""Safe file names: whatever a slug holds, the file stays inside the output folder."""

from __future__ import annotations

import re
import unicodedata

#: Longest file name, in bytes of UTF-8, that common file systems accept (ext4, APFS: 255).
MAX_NAME_BYTES = 255

# Characters no file name should hold: path separators, NUL and other control characters,
# and those Windows forbids (<>:"|?*).
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*]+')
# Names Windows reserves whatever the extension: CON, PRN, AUX, NUL, COM1-9, LPT1-9.
# The part before the first dot counts, so "con.txt" is reserved too.
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)", re.IGNORECASE)


def truncate_utf8(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` bytes of UTF-8, never inside a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", "ignore")


def safe_component(name: str, fallback: str, *, reserve: int = 0) -> str:
    """One path component made from ``name``: no separators, no dot-names, not reserved, short enough.

    ``reserve`` bytes are kept free for a suffix and extension added later.
    """
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE_CHARS.sub("-", name).strip(" .-")
    if not name or set(name) <= {"."}:
        name = fallback
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    return truncate_utf8(name, MAX_NAME_BYTES - reserve).rstrip(" .") or fallback
