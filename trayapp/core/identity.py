"""Normalising, hashing and masking of emails and phone numbers (clear values never leave memory)."""

from __future__ import annotations

import hashlib
import hmac
import re

_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def normalise_email(email: str) -> str | None:
    """One mailbox, one string: case folded; Gmail dots and +tags dropped; +tags dropped elsewhere."""
    email = email.strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep or not local or not domain:
        return None
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        domain = "gmail.com"
        local = local.replace(".", "")
    if not local:
        return None
    return f"{local}@{domain}"


def normalise_phone(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    return ("+" if phone.strip().startswith("+") else "") + digits


def salted_hash(salt: str, value: str) -> str:
    return hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()


def hash_email(salt: str, email: str | None) -> str | None:
    normal = normalise_email(email) if email else None
    return salted_hash(salt, "email:" + normal) if normal else None


def hash_phone(salt: str, phone: str | None) -> str | None:
    normal = normalise_phone(phone) if phone else None
    return salted_hash(salt, "phone:" + normal) if normal else None


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 4:
        return "***"
    return "***" + digits[-2:]
