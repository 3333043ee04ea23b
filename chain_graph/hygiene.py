"""Characters that make text say something other than what it shows, refused wherever chain-graph
reads text (table cells by loaders.tables, YAML scalars by loaders.yamlfile): one rule for the
loader and the import alike.

NUL and the other control characters (tab and line breaks excepted) are invisible and break
files downstream; the direction overrides U+202A–U+202E and isolates U+2066–U+2069 reorder what
a reader sees (a firm name can be made to show as another); a byte-order mark inside text is a
stray (one at the very start of a file is taken by the decoder) and hides in front of a value, so
that '\\ufeff9144…' no longer looks like a credit code. Refused, not removed: the value would
otherwise be stored different from what the keeper typed, and they should fix the file.
"""

from __future__ import annotations

import re

from chain_graph.i18n import Message, msg

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BOM = re.compile("\ufeff")
_RULES = ((_CONTROL, "text.control"), (_BIDI, "text.bidi"), (_BOM, "text.bom"))
_ANY = re.compile("|".join(pattern.pattern for pattern, _ in _RULES))


def flaw(text: str) -> Message | None:
    """Why `text` is refused (the characters, as U+XXXX, and where), or None when it is clean."""
    for pattern, key in _RULES:
        found = pattern.search(text)
        if found:
            chars = "、".join(sorted({f"U+{ord(c):04X}" for c in pattern.findall(text)}))
            return msg(key, chars=chars, position=found.start() + 1)
    return None


def flaws(cells: dict[str, str]) -> dict[str, Message]:
    """Why each refused cell of a row is refused; one search for the whole row when it is clean (most are)."""
    if not _ANY.search("".join(cells.values())):
        return {}
    return {name: why for name, text in cells.items() if (why := flaw(text))}


def hint() -> Message:
    return msg("text.hint")
