"""The provider catalog's texts the account dialog shows (key names, hints, what is read, what cannot be
known). The catalog is Qt-free, so its strings are listed here for lupdate and translated when shown; a
test checks the list matches the catalog."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CATALOG_TEXTS = (
    str(QT_TRANSLATE_NOOP("Catalog", "API key")),
    str(QT_TRANSLATE_NOOP("Catalog", "sk-…, sk-proj-…, or a session key sess-…")),
    str(QT_TRANSLATE_NOOP("Catalog", "Admin key (optional)")),
    str(QT_TRANSLATE_NOOP("Catalog", "sk-admin-…: reads the org's costs")),
    str(
        QT_TRANSLATE_NOOP(
            "Catalog", "who the key belongs to (/v1/me); costs with an admin key; grants with a session key"
        )
    ),
    str(
        QT_TRANSLATE_NOOP("Catalog", "remaining credit with a normal key: OpenAI has no balance endpoint for API keys")
    ),
    str(QT_TRANSLATE_NOOP("Catalog", "the key's quota and usage (/v1/dashboard/billing/subscription and /usage)")),
    str(QT_TRANSLATE_NOOP("Catalog", "the unit may be CNY on some relays: set the currency on the account")),
    str(QT_TRANSLATE_NOOP("Catalog", "balance per currency, granted vs topped-up (/user/balance)")),
    str(QT_TRANSLATE_NOOP("Catalog", "when granted balance expires")),
    str(QT_TRANSLATE_NOOP("Catalog", "available, voucher and cash balance (/v1/users/me/balance)")),
    str(QT_TRANSLATE_NOOP("Catalog", "when voucher credit expires")),
    str(QT_TRANSLATE_NOOP("Catalog", "total, paid and gift balance (/v1/user/info)")),
    str(QT_TRANSLATE_NOOP("Catalog", "when gift credit expires")),
    str(QT_TRANSLATE_NOOP("Catalog", "sk-or-v1-…")),
    str(QT_TRANSLATE_NOOP("Catalog", "Management key (optional)")),
    str(QT_TRANSLATE_NOOP("Catalog", "reads the account balance (/api/v1/credits)")),
    str(
        QT_TRANSLATE_NOOP(
            "Catalog", "the key's limit and usage (/api/v1/key); the account balance with a management key"
        )
    ),
    str(QT_TRANSLATE_NOOP("Catalog", "the account balance without a management key, when the key has no limit")),
    str(QT_TRANSLATE_NOOP("Catalog", "built-in sample data; no network, no keyring")),
)


def catalog_text(text: str) -> str:
    return QCoreApplication.translate("Catalog", text) if text else text
