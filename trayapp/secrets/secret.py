"""A key held in memory, wrapped so that repr, str, logging and tracebacks never show it."""

from __future__ import annotations

from typing import Final, NoReturn


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a secret is a string")
        self._value: Final = value

    def reveal(self) -> str:
        """The clear value, for the one place that sends it (an Authorization header)."""
        return self._value

    @property
    def kind_hint(self) -> str:
        """The key's public prefix (e.g. 'sk-admin-'), enough to tell key kinds apart."""
        for prefix in ("sk-admin-", "sk-proj-", "sk-svcacct-", "sk-or-v1-", "sess-", "sk-"):
            if self._value.startswith(prefix):
                return prefix
        return ""

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled")


MIN_FRAGMENT = 8  # this many characters in a row of a key are never shown, wherever they are quoted from


def mask_fragments(text: str, secret: str, mask: str = "***") -> str:
    """`text` with the secret, and every run of MIN_FRAGMENT or more of its characters, replaced by `mask`.

    A provider that echoes a key only in part (its middle, its end) must not have that part shown or
    saved. The public prefix alone (e.g. "sk-proj-") is not a fragment.
    """
    if not secret or not text:
        return text
    text = text.replace(secret, mask)
    if len(secret) < MIN_FRAGMENT:
        return text
    start = max(0, len(Secret(secret).kind_hint) - MIN_FRAGMENT + 1)
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
