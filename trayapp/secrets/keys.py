"""What keys look like, in one place: their public prefixes, and how any text is cleaned of them.

Everything that recognises a key by its shape (the secret wrapper, the HTTP layer's scrubber, the log
filter, the OpenAI key kinds) asks this module, so that one rule is changed in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

ADMIN_PREFIX = "sk-admin-"  # an OpenAI admin key
SESSION_PREFIX = "sess-"  # an OpenAI browser session key
# Public prefixes, longest first: enough to tell key kinds apart, and never a secret part of a key.
PREFIXES = (ADMIN_PREFIX, "sk-proj-", "sk-svcacct-", "sk-or-v1-", SESSION_PREFIX, "sk-")

MIN_FRAGMENT = 8  # this many characters in a row of a key are never shown, wherever they are quoted from
MAX_QUOTE = 160  # characters of provider text shown to people
MASK = "***"

# Text shaped like a key that is not one of the account's own (a provider may echo another key, or ours
# already cut by its own masking, "sk-proj-****abcd"): the public prefix stays, so people can tell which
# kind of key was meant; any long run of key characters goes too.
_PREFIXED = "|".join(re.escape(p) for p in PREFIXES)
_KEY_CHARACTERS = re.compile(r"[!-~]*")  # printable ASCII but the space: what odd_character lets through
_KEYLIKE = re.compile(rf"\b({_PREFIXED})[A-Za-z0-9_\-*.]{{3,}}|\bkey-[A-Za-z0-9_\-]{{8,}}|[A-Za-z0-9_\-]{{40,}}")


def public_prefix(key: str) -> str:
    """The key's public prefix (e.g. 'sk-admin-'), or '' when it has none that is known."""
    for prefix in PREFIXES:
        if key.startswith(prefix):
            return prefix
    return ""


def odd_character(value: str) -> tuple[int, str] | None:
    """The first character no key has (a space, an invisible one such as a zero-width space or a no-break
    space, anything not printable ASCII): its 1-based position and its Unicode name ("U+200B ZERO WIDTH
    SPACE"), which say what to look for without showing the key; None when every character is one a key has."""
    if _KEY_CHARACTERS.fullmatch(value):  # the usual case, checked at C speed: every request's key passes here
        return None
    for position, ch in enumerate(value, 1):
        if not (ch.isascii() and ch.isprintable() and not ch.isspace()):
            return position, f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
    return None


def odd_character_message(value: str, label: str) -> str | None:
    """Why `value` cannot be a key, for people (`label` names it: tr("key"), tr("admin key")); None if it can."""
    from ..core.i18n import tr

    found = odd_character(value)
    if found is None:
        return None
    return tr(
        "The {key} has a character no key has at position {position} of {length}: {character}. Such characters "
        "come along when a key is copied from a web page or a document; enter the key again.",
        key=label,
        position=found[0],
        length=len(value),
        character=found[1],
    )


def mask_fragments(text: str, secret: str, mask: str = MASK) -> str:
    """`text` with the secret, and every run of MIN_FRAGMENT or more of its characters, replaced by `mask`.

    A provider that echoes a key only in part (its middle, its end) must not have that part shown or
    saved. The public prefix alone (e.g. "sk-proj-") is not a fragment.
    """
    return Fragments(secret).mask(text, mask)


class Fragments:
    """One secret's fragments, worked out once to clean many texts of it (every string of a fetch's result)."""

    __slots__ = ("_blocks", "_secret", "_start")

    def __init__(self, secret: str) -> None:
        self._secret = secret
        # A run of MIN_FRAGMENT characters of the key (from `start` on: not the public prefix alone) contains
        # one of these aligned blocks of half its length whole: a text with none of them has no fragment,
        # which a substring search tells at C speed, for the many texts (amounts' notes, dates, names) without.
        self._start = max(0, len(public_prefix(secret)) - MIN_FRAGMENT + 1)
        half = MIN_FRAGMENT // 2
        first = -(-self._start // half) * half
        self._blocks = tuple({secret[i : i + half] for i in range(first, len(secret) - half + 1, half)})

    def mask(self, text: str, mask: str = MASK) -> str:
        secret = self._secret
        if not secret or not text:
            return text
        if len(secret) >= MIN_FRAGMENT and not any(block in text for block in self._blocks):
            return text  # no fragment, so not the whole key either
        text = text.replace(secret, mask)
        if len(secret) < MIN_FRAGMENT:
            return text
        start = self._start
        grams = {secret[i : i + MIN_FRAGMENT] for i in range(start, len(secret) - MIN_FRAGMENT + 1)}
        covered = [False] * len(text)
        for i in range(len(text) - MIN_FRAGMENT + 1):
            if text[i : i + MIN_FRAGMENT] in grams:
                covered[i : i + MIN_FRAGMENT] = [True] * MIN_FRAGMENT
        if not any(covered):
            return text
        out: list[str] = []
        for i, ch in enumerate(text):
            if not covered[i]:
                out.append(ch)
            elif i == 0 or not covered[i - 1]:
                out.append(mask)
        return "".join(out)


def mask_keylike(text: str) -> str:
    """Anything shaped like a key replaced (its public prefix kept): for text whose keys are not known."""
    return _KEYLIKE.sub(lambda m: (m.group(1) or "") + MASK, text)


def scrub(text: str, secrets: Iterable[str], limit: int = MAX_QUOTE) -> str:
    """Text from a provider made safe to show: the given keys (whole or in part) and anything key-like
    removed, control characters and runs of space folded, cut to `limit` characters."""
    for secret in secrets:
        text = mask_fragments(text, secret)
    text = mask_keylike(text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
