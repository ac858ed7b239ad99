"""Providers a user adds without code: one TOML file per provider in `<config dir>/providers/<name>.toml`, its
stem the name for `--provider` (docs/providers.md, "Providers you declare"). For example:

    name = "My relay"                                  # shown in the UI (default: the file's stem)
    url = "https://relay.example.com/api/user/self"    # GET; the key goes to this address only
    auth = "bearer"                                    # or "header:X-Api-Key"
    currency = "USD"                                   # or currency_pointer = "/data/currency"
    remaining = "/data/quota"                          # RFC 6901 JSON pointer (required)
    scale = 500000                                     # shown value = raw / scale (default 1)
    granted = "/data/gift"                             # optional pointers: granted, paid, used
    expires_at = "/data/expired_time"                  # Unix seconds or ISO 8601; 0 or -1 = never
    error_when = { pointer = "/success", equals = false }
    error_message = "/message"

A file is read and checked once (`load_dir`); what it declares travels as data (`Declaration.to_json`), so the
fetch child is handed the very declaration the tray read. The request goes through providers/http.py like any
provider's: https only (plain http to this machine), no redirects, size caps, scrubbed quotes. A value the file
points at that is absent, null or not a number is an error naming the file and the pointer, never a 0.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..core.errors import ConfigError
from ..core.i18n import LocalText, tr, tr_noop
from ..core.models import Snapshot
from ..core.validation import parse_currency, validate_base_url
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import Fields, bad_response, business_error, get_json
from .registry import DECLARED_FOLDER

FOLDER = DECLARED_FOLDER  # under the config dir
MAX_FILE = 64 * 1024  # bytes: a declaration is a dozen lines
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")  # a file stem usable as `--provider` and in config.json
HEADER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
RESERVED_HEADERS = frozenset({"host", "cookie", "content-length", "transfer-encoding", "connection", "accept-encoding"})
MAX_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z
POINTERS = ("remaining", "granted", "paid", "used", "expires_at", "currency_pointer", "error_message")
KEYS = frozenset({"name", "url", "auth", "currency", "scale", "error_when", *POINTERS})
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_NEVER = (Decimal(0), Decimal(-1))


class Broken(Exception):
    """A declaration that cannot be used: `problem` says what is wrong (a tr() sentence), `line` where."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


# ---------------------------------------------------------------- RFC 6901 JSON pointers


def check_pointer(pointer: str) -> None:
    """Raises ValueError when `pointer` is not an RFC 6901 pointer ("" or "/a/b", "~" only as ~0 or ~1)."""
    if pointer and not pointer.startswith("/"):
        raise ValueError("must start with /")
    if re.search(r"~(?![01])", pointer):
        raise ValueError("~ must be ~0 or ~1")


def resolve(document: Any, pointer: str) -> tuple[bool, Any]:
    """(found, value) of `pointer` in `document`; found is False when a step does not exist."""
    value = document
    if not pointer:
        return True, value
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")  # in this order (RFC 6901 §4)
        if isinstance(value, Mapping):
            if token not in value:
                return False, None
            value = value[token]
        elif isinstance(value, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", token) or int(token) >= len(value):
                return False, None
            value = value[int(token)]
        else:
            return False, None
    return True, value


# ---------------------------------------------------------------- the declaration


@dataclass(frozen=True)
class Declaration:
    name: str  # the file's stem: the provider's id
    file: str  # the file, as it is named in messages
    label: str
    url: str
    auth: str  # "bearer" or "header:<name>"
    remaining: str
    scale: Decimal = Decimal(1)
    currency: str | None = None
    currency_pointer: str | None = None
    granted: str | None = None
    paid: str | None = None
    used: str | None = None
    expires_at: str | None = None
    error_pointer: str | None = None
    error_equals: bool | int | float | str | None = None
    error_message: str | None = None

    def info(self) -> ProviderInfo:
        return ProviderInfo(
            name=self.name,
            display_name=self.label,
            module=__name__,
            default_base_url=self.url,
            default_currency=self.currency,
            reads=tr_noop("what its file in the providers folder of the config dir declares"),
            not_knowable=tr_noop("anything its file does not declare"),
        )

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["scale"] = str(self.scale)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Declaration:
        """The declaration the tray read, as the fetch child receives it: checked again by the same rules."""
        table: dict[str, Any] = {k: data[k] for k in ("url", "auth", "remaining") if data.get(k) is not None}
        table["name"] = data.get("label")
        scale = Decimal(str(data.get("scale", "1")))
        table["scale"] = int(scale) if scale == scale.to_integral_value() else float(scale)
        for key in ("currency", "currency_pointer", "granted", "paid", "used", "expires_at", "error_message"):
            if data.get(key) is not None:
                table[key] = data[key]
        if data.get("error_pointer") is not None:
            table["error_when"] = {"pointer": data["error_pointer"], "equals": data.get("error_equals")}
        return parse(str(data.get("name")), str(data.get("file")), table)

    def split_url(self) -> tuple[str, str, dict[str, str]]:
        """(base, last path segment, query) of the url: the base bounds where the key may go."""
        parts = urlsplit(self.url)
        head, _, leaf = parts.path.rpartition("/")
        return f"{parts.scheme}://{parts.netloc}{head}", leaf, dict(parse_qsl(parts.query, keep_blank_values=True))

    def auth_header(self) -> tuple[str, str]:
        if self.auth == "bearer":
            return "Authorization", "Bearer "
        return self.auth.partition(":")[2], ""


def _line_of(text: str, key: str) -> int | None:
    """The line a key is written on (tomllib tells lines only for syntax errors)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def parse(name: str, file: str, table: Mapping[str, Any], text: str = "") -> Declaration:
    """The declaration in a file's table, checked; raises Broken saying what is wrong and where."""

    def broken(problem: str, key: str | None = None) -> Broken:
        return Broken(problem, _line_of(text, key) if key and text else None)

    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise broken(tr("'{key}' is not a setting of a provider file", key=unknown[0]), unknown[0])

    def text_of(key: str, required: bool = False) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise broken(tr("'{key}' is missing", key=key))
            return None
        if not isinstance(value, str):
            raise broken(tr("'{key}' must be text in quotes", key=key), key)
        return value

    def pointer_of(key: str, value: Any, required: bool = False) -> str | None:
        if value is None:
            if required:
                raise broken(tr("'{key}' is missing", key=key))
            return None
        if not isinstance(value, str):
            raise broken(tr("'{key}' must be a JSON pointer in quotes, such as \"/data/balance\"", key=key), key)
        try:
            check_pointer(value)
        except ValueError:
            raise broken(
                tr("'{key}' = '{pointer}' is not a JSON pointer (RFC 6901: \"/data/balance\")", key=key, pointer=value),
                key,
            ) from None
        return value

    if not NAME.fullmatch(name):
        raise Broken(tr("the file name must be lower-case letters, digits, - or _ (it is the --provider name)"))
    url = text_of("url", required=True)
    assert url is not None
    url = url.strip()
    try:
        validate_base_url(url)  # https, or http to this machine; no user name or password
    except ConfigError:
        raise broken(
            tr(
                "'url' = '{url}' must be an https address (plain http only to this machine) with a host and no "
                "user name or password",
                url=url,
            ),
            "url",
        ) from None
    if urlsplit(url).fragment:
        raise broken(tr("'url' must not have a #fragment"), "url")
    auth = text_of("auth") or "bearer"
    header = auth.partition(":")[2]
    if auth != "bearer" and not (
        auth.startswith("header:") and HEADER.fullmatch(header) and header.lower() not in RESERVED_HEADERS
    ):
        raise broken(tr('\'auth\' must be "bearer" or "header:" and a header name, such as "header:X-Api-Key"'), "auth")
    label = (text_of("name") or name).strip()[:60] or name
    currency = text_of("currency")
    if currency is not None:
        try:
            currency = parse_currency(currency)
        except ConfigError:
            raise broken(tr("'currency' must be a three-letter code such as USD"), "currency") from None
    currency_pointer = pointer_of("currency_pointer", table.get("currency_pointer"))
    if currency is not None and currency_pointer is not None:
        raise broken(tr("give 'currency' or 'currency_pointer', not both"), "currency_pointer")
    scale_value = table.get("scale", 1)
    if isinstance(scale_value, bool) or not isinstance(scale_value, (int, float)):
        raise broken(tr("'scale' must be a number"), "scale")
    try:
        scale = Decimal(str(scale_value))
    except InvalidOperation:  # pragma: no cover - TOML numbers are valid decimals, nan and inf aside
        raise broken(tr("'scale' must be a number greater than 0"), "scale") from None
    if not scale.is_finite() or scale <= 0:
        raise broken(tr("'scale' must be a number greater than 0"), "scale")
    remaining = pointer_of("remaining", table.get("remaining"), required=True)
    assert remaining is not None
    error_pointer: str | None = None
    error_equals: bool | int | float | str | None = None
    error_when = table.get("error_when")
    if error_when is not None:
        if not isinstance(error_when, Mapping) or set(error_when) != {"pointer", "equals"}:
            raise broken(
                tr("'error_when' must be a table of two: pointer = \"/…\" and equals = the value that means an error"),
                "error_when",
            )
        error_pointer = pointer_of("error_when", error_when["pointer"], required=True)
        error_equals = error_when["equals"]
        if not isinstance(error_equals, (bool, int, float, str)):
            raise broken(tr("'error_when' must compare with text, a number, true or false"), "error_when")
    return Declaration(
        name=name,
        file=file,
        label=label,
        url=url,
        auth=auth,
        remaining=remaining,
        scale=scale,
        currency=currency,
        currency_pointer=currency_pointer,
        granted=pointer_of("granted", table.get("granted")),
        paid=pointer_of("paid", table.get("paid")),
        used=pointer_of("used", table.get("used")),
        expires_at=pointer_of("expires_at", table.get("expires_at")),
        error_pointer=error_pointer,
        error_equals=error_equals,
        error_message=pointer_of("error_message", table.get("error_message")),
    )


def read_file(path: Path, reserved: Collection[str] = ()) -> Declaration:
    """One provider file, read and checked; raises Broken."""
    name = path.stem
    if name in reserved:
        raise Broken(tr("'{name}' is a built-in provider: rename the file", name=name))
    import tomllib  # here: importing this module (the catalog does, in the tray too) stays cheap

    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE + 1)
    except OSError as exc:
        raise Broken(tr("it cannot be read ({reason})", reason=exc.strerror or type(exc).__name__)) from None
    if len(raw) > MAX_FILE:
        raise Broken(tr("it is larger than {size} KiB, far more than a provider takes", size=MAX_FILE // 1024))
    try:
        text = raw.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        raise Broken(tr("it is not UTF-8 text")) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _AT_LINE.search(message)
        reason = _AT_LINE.sub("", message) or type(exc).__name__
        raise Broken(
            tr("it is not valid TOML ({reason})", reason=reason), int(where.group(1)) if where else None
        ) from None
    return parse(name, path.name, table, text)


def problem_text(path: Path, broken: Broken) -> LocalText:
    if broken.line is not None:
        return tr(
            "Provider file {file}, line {line}: {problem}. The provider is not offered until it is fixed.",
            file=str(path),
            line=broken.line,
            problem=broken.problem,
        )
    return tr(
        "Provider file {file}: {problem}. The provider is not offered until it is fixed.",
        file=str(path),
        problem=broken.problem,
    )


def load_dir(config_dir: Path, reserved: Collection[str] = ()) -> tuple[dict[str, Declaration], dict[str, str]]:
    """Every `<config_dir>/providers/*.toml`: (declarations by name, problems by name); a broken file stops
    nothing else."""
    found: dict[str, Declaration] = {}
    problems: dict[str, str] = {}
    folder = config_dir / FOLDER
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
    except OSError:
        return found, problems  # no folder: no declared provider
    for path in paths:
        try:
            found[path.stem] = read_file(path, reserved)
        except Broken as exc:
            problems[path.stem] = problem_text(path, exc)
    return found, problems


# ---------------------------------------------------------------- the fetch


class DeclaredProvider:
    def __init__(self, declaration: Declaration) -> None:
        self.declaration = declaration
        self.info = declaration.info()

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        d = self.declaration
        base, leaf, params = d.split_url()
        # The file's address, whatever the account says: the key goes where the file sends it, only there.
        at = replace(request, account=replace(request.account, base_url=base))
        answer = get_json(at, self.info, leaf, params=params or None, auth=d.auth_header())
        reader = _Reader(self.info, d, answer.endpoint, answer.body, answer.secrets)
        if d.error_pointer is not None:
            found, value = resolve(answer.body, d.error_pointer)
            if found and _same(value, d.error_equals):
                said = reader.message()
                code = f"{d.error_pointer}={_shown(value)}"
                raise business_error(self.info, answer.endpoint, code, said, answer.secrets)
        remaining = reader.amount("remaining", d.remaining, negative=True, required=True)
        currency = request.account.currency or d.currency or reader.currency()
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=remaining,
            remaining_granted=reader.amount("granted", d.granted),
            remaining_paid=reader.amount("paid", d.paid),
            used=reader.amount("used", d.used),
            expires_at=reader.expiry(),
        )
        return FetchOutcome(snapshot)


def _same(value: Any, expected: object) -> bool:
    """TOML's `equals` against a JSON value: true is not 1, 1 is 1.0, text is text."""
    if isinstance(expected, bool) or isinstance(value, bool):
        return value is expected
    if isinstance(expected, (int, float)) and isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)) == Decimal(str(expected))
    return bool(value == expected)


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else "null" if value is None else str(value)


@dataclass(frozen=True)
class _Reader:
    info: ProviderInfo
    declaration: Declaration
    endpoint: str
    body: Any
    secrets: tuple[str, ...]

    def _field(self, key: str, pointer: str) -> LocalText:
        return tr("{pointer} ({key} in {file})", pointer=pointer, key=key, file=self.declaration.file)

    def _value(self, key: str, pointer: str, required: bool) -> tuple[LocalText, Any]:
        field = self._field(key, pointer)
        found, value = resolve(self.body, pointer)
        if not found:
            raise bad_response(self.info, self.endpoint, field, tr("is missing"))
        if value is None and required:
            raise bad_response(self.info, self.endpoint, field, tr("is null"))
        return field, value

    def amount(
        self, key: str, pointer: str | None, *, negative: bool = False, required: bool = False
    ) -> Decimal | None:
        if pointer is None:
            return None
        field, value = self._value(key, pointer, required)
        if value is None:
            return None
        number = Fields(self.info, self.endpoint, {field: value}, secrets=self.secrets).decimal(
            field, negative=negative
        )
        return number / self.declaration.scale

    def currency(self) -> str | None:
        pointer = self.declaration.currency_pointer
        if pointer is None:
            return None
        field, value = self._value("currency_pointer", pointer, required=True)
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
            raise bad_response(self.info, self.endpoint, field, tr("is not a three-letter currency code"))
        return value.strip().upper()

    def expiry(self) -> datetime | None:
        pointer = self.declaration.expires_at
        if pointer is None:
            return None
        field, value = self._value("expires_at", pointer, required=False)
        if value is None:
            return None
        seconds: Decimal | None = None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            seconds = Decimal(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+(\.[0-9]+)?\s*", value):
            seconds = Decimal(value.strip())
        elif isinstance(value, str) and value.strip():
            try:
                when = datetime.fromisoformat(value.strip())
            except ValueError:
                raise bad_response(
                    self.info, self.endpoint, field, tr("is not a Unix time in seconds or an ISO 8601 date")
                ) from None
            return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
        if seconds is None:
            raise bad_response(self.info, self.endpoint, field, tr("is not a Unix time in seconds or an ISO 8601 date"))
        if seconds in _NEVER:
            return None  # 0 and -1: never expires
        if seconds < 0 or seconds > MAX_TIMESTAMP:
            raise bad_response(
                self.info, self.endpoint, field, tr("is {value}, outside the possible range", value=str(seconds))
            )
        return datetime.fromtimestamp(float(seconds), UTC)

    def message(self) -> str | None:
        pointer = self.declaration.error_message
        if pointer is None:
            return None
        found, value = resolve(self.body, pointer)
        return value if found and isinstance(value, str) and value.strip() else None


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog by the registry
    "what its file in the providers folder of the config dir declares": (
        "設定フォルダーの providers フォルダーにあるファイルが宣言する値"
    ),
    "anything its file does not declare": "ファイルが宣言していないもの",
    "'{key}' is not a setting of a provider file": "'{key}' はプロバイダーファイルの設定項目ではありません",
    "'{key}' is missing": "'{key}' がありません",
    "'{key}' must be text in quotes": "'{key}' は引用符で囲んだ文字列にしてください",
    "'{key}' must be a JSON pointer in quotes, such as \"/data/balance\"": (
        "'{key}' は \"/data/balance\" のような、引用符で囲んだ JSON ポインターにしてください"
    ),
    "'{key}' = '{pointer}' is not a JSON pointer (RFC 6901: \"/data/balance\")": (
        "'{key}' = '{pointer}' は JSON ポインター（RFC 6901：\"/data/balance\"）ではありません"
    ),
    "the file name must be lower-case letters, digits, - or _ (it is the --provider name)": (
        "ファイル名は小文字の英字、数字、- または _ にしてください（--provider の名前になります）"
    ),
    "'url' must not have a #fragment": "'url' に #フラグメントは使えません",
    "'url' = '{url}' must be an https address (plain http only to this machine) with a host and no "
    "user name or password": (
        "'url' = '{url}' は、ホストがあり、ユーザー名やパスワードを含まない https のアドレスにしてください"
        "（http はこのマシンへの接続だけに使えます）"
    ),
    "'currency' must be a three-letter code such as USD": "'currency' は USD のような3文字のコードにしてください",
    '\'auth\' must be "bearer" or "header:" and a header name, such as "header:X-Api-Key"': (
        '\'auth\' は "bearer"、または "header:X-Api-Key" のように "header:" とヘッダー名にしてください'
    ),
    "give 'currency' or 'currency_pointer', not both": "'currency' と 'currency_pointer' はどちらか一方にしてください",
    "'scale' must be a number": "'scale' は数値にしてください",
    "'scale' must be a number greater than 0": "'scale' は 0 より大きい数値にしてください",
    "'error_when' must be a table of two: pointer = \"/…\" and equals = the value that means an error": (
        "'error_when' は pointer = \"/…\" と equals = エラーを表す値、の2つからなるテーブルにしてください"
    ),
    "'error_when' must compare with text, a number, true or false": (
        "'error_when' で比べられるのは文字列、数値、true または false です"
    ),
    "'{name}' is a built-in provider: rename the file": (
        "'{name}' は組み込みのプロバイダーです。ファイル名を変えてください"
    ),
    "it cannot be read ({reason})": "読み取れません（{reason}）",
    "it is larger than {size} KiB, far more than a provider takes": (
        "{size} KiB を超えています。プロバイダーの定義としては大きすぎます"
    ),
    "it is not UTF-8 text": "UTF-8 のテキストではありません",
    "it is not valid TOML ({reason})": "正しい TOML ではありません（{reason}）",
    "Provider file {file}, line {line}: {problem}. The provider is not offered until it is fixed.": (
        "プロバイダーファイル {file}、{line} 行目：{problem}。直すまでこのプロバイダーは使えません。"
    ),
    "Provider file {file}: {problem}. The provider is not offered until it is fixed.": (
        "プロバイダーファイル {file}：{problem}。直すまでこのプロバイダーは使えません。"
    ),
    "{pointer} ({key} in {file})": "{pointer}（{file} の {key}）",
    "is not a three-letter currency code": "3文字の通貨コードではありません",
    "is not a Unix time in seconds or an ISO 8601 date": "Unix 時間（秒）でも ISO 8601 の日付でもありません",
}
