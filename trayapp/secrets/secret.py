"""A key held in memory, wrapped so that repr, str, logging and tracebacks never show it."""

from __future__ import annotations

from typing import Final, NoReturn

from .keys import public_prefix


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
        return public_prefix(self._value)

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
