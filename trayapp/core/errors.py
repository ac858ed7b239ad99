"""Errors that carry a short title and a message written for people: LocalText from `i18n.tr` (English,
translatable where shown); the UI's own dialogs may pass text Qt already translated."""

from __future__ import annotations

from .i18n import tr
from .models import ErrorKind, FetchError


class TrayError(Exception):
    """Base of every error the app explains to its user."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title = title
        self.message = message


class ProviderError(TrayError):
    """A provider could not be read. Never carries a key, nor a full response body."""

    def __init__(
        self,
        kind: ErrorKind,
        title: str,
        message: str,
        *,
        provider: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(title, message)
        self.kind = kind
        self.provider = provider
        self.retry_after = retry_after

    def to_fetch_error(self) -> FetchError:
        return FetchError(self.kind, self.title, self.message, self.provider, self.retry_after)


class BadResponse(ProviderError):
    """The provider answered something that does not match the documented shape. `problem` completes
    "field 'x' …" (e.g. tr("is missing")) and is translated with the message."""

    def __init__(self, provider: str, endpoint: str, field: str, problem: str) -> None:
        super().__init__(
            ErrorKind.BAD_RESPONSE,
            tr("Unexpected answer from {provider}", provider=provider),
            tr(
                "{endpoint}: field '{field}' {problem}. The last good data is kept.",
                endpoint=endpoint,
                field=field,
                problem=problem,
            ),
            provider=provider,
        )
        self.endpoint = endpoint
        self.field = field


class ConfigError(TrayError):
    """The configuration file or an account in it is wrong."""


class SecretStoreError(TrayError):
    """The OS secret store cannot be used right now (absent, locked, or not answering)."""

    def __init__(self, title: str, message: str, *, state: str) -> None:
        super().__init__(title, message)
        self.state = state  # "unavailable" | "locked" | "timeout" | "failed"
