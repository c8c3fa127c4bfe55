"""The control characters, in one place: text from articles, queries and printed output each remove
them, and differ only in which line-layout characters they keep."""

from __future__ import annotations

import re

# C0 controls, DEL and the C1 controls: none is printable, and several drive a terminal.
_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]


def controls(keep: str = "") -> re.Pattern[str]:
    """A pattern matching one control character, except those in `keep`.

    Stored article text keeps tab and newline (a paragraph's layout); a query keeps none (it is one
    line); printed text keeps tab and newline but not carriage return, which could overwrite a line.
    The class is spelt out rather than built with a look-ahead, because article text passes through it
    once per character at indexing speed.
    """
    chars = "".join(f"\\x{c:02x}" for c in _CONTROLS if chr(c) not in keep)
    return re.compile(f"[{chars}]")
