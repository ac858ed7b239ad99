"""Alert messages in English and Japanese, shared by the tray and `trayapp check` (which has no Qt, so
these cannot go through Qt's translator). The language follows the system locale; a setting overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "ja")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "key_invalid": "{label}: the key was rejected ({detail}).",
        "credit_zero": "{label}: no credit left{amount}.",
        "credit_zero_error": "{label}: no credit left ({detail}).",
        "credit_low": "{label}: credit is low: {left} left (warning at {threshold}).",
        "spend_limit": "{label}: the organization reached its spend limit; requests are refused until the limit "
        "is raised or the period ends.",
        "expiring_soon": "{label}: credit expires in {days} (on {date}).",
        "stale": "{label}: no fresh data for {age}; showing older data.",
        "same_login": "{a} and {b} are keys of one login; the credit is on that one account{holder}.",
        "same_login_holder": " (shown under {label})",
        "second_account": "{second} is a second account: it shares the {shared} of {first}, created earlier. "
        "Free trial credit went only to the first phone-verified account.",
        "shared_phone": "phone number",
        "shared_mailbox": "mailbox",
        "shared_and": " and ",
        "no_trial_credit": "{label} got no trial credit: this looks like a second account; trial credit goes only "
        "to the first phone-verified account.",
        "identity_changed": "{label}: the key now belongs to another login than before.",
        "runs_out_soon": "{label}: at the recent rate ({rate} a day) the credit runs out in {until} (around {date}).",
        "will_expire_unused": "{label}: {amount} of {kind} will expire unused on {date} (at the recent rate of "
        "{rate} a day).",
        "kind_trial": "trial credit",
        "kind_credit": "credit",
        "about_days_1": "about 1 day",
        "about_days_n": "about {n} days",
        "days_0": "less than a day",
        "days_1": "1 day",
        "days_n": "{n} days",
        "age_min": "{n} min",
        "age_h": "{n} h",
        "age_days": "{n} days",
        "updated_ago": "updated {age} ago",
        "updated_just_now": "updated just now",
        "never_updated": "never updated",
        "remaining_unknown": "unknown",
        "remaining_not_read": "not read yet",
        "remaining_error": "error",
    },
    "ja": {
        "key_invalid": "{label}: キーが拒否されました（{detail}）。",
        "credit_zero": "{label}: クレジット残高がありません{amount}。",
        "credit_zero_error": "{label}: クレジット残高がありません（{detail}）。",
        "credit_low": "{label}: クレジット残高が少なくなっています: 残り {left}（警告のしきい値 {threshold}）。",
        "spend_limit": "{label}: 組織が利用上限に達しました。"
        "上限を引き上げるか期間が終わるまでリクエストは拒否されます。",
        "expiring_soon": "{label}: クレジットの有効期限まであと{days}です（{date}）。",
        "stale": "{label}: {age}の間、新しいデータがありません。古いデータを表示しています。",
        "same_login": "{a} と {b} は同じログインのキーです。クレジットはその一つのアカウントにあります{holder}。",
        "same_login_holder": "（{label} に表示）",
        "second_account": "{second} は2つ目のアカウントです: 先に作成された {first} と{shared}が同じです。"
        "無料トライアルクレジットは、電話番号を認証した最初のアカウントにのみ付与されました。",
        "shared_phone": "電話番号",
        "shared_mailbox": "メールボックス",
        "shared_and": "と",
        "no_trial_credit": "{label} にはトライアルクレジットがありません: 2つ目のアカウントのようです。"
        "トライアルクレジットは電話番号を認証した最初のアカウントにのみ付与されます。",
        "identity_changed": "{label}: このキーは以前とは別のログインのものになっています。",
        "runs_out_soon": "{label}: 最近のペース（1日あたり {rate}）では、クレジットは{until}で（{date}頃）"
        "なくなります。",
        "will_expire_unused": "{label}: {kind} {amount} が {date} に未使用のまま失効します"
        "（最近のペースは1日あたり {rate}）。",
        "kind_trial": "トライアルクレジット",
        "kind_credit": "クレジット",
        "about_days_1": "約1日",
        "about_days_n": "約{n}日",
        "days_0": "1日未満",
        "days_1": "1日",
        "days_n": "{n}日",
        "age_min": "{n}分",
        "age_h": "{n}時間",
        "age_days": "{n}日",
        "updated_ago": "{age}前に更新",
        "updated_just_now": "たった今更新",
        "never_updated": "未更新",
        "remaining_unknown": "不明",
        "remaining_not_read": "未取得",
        "remaining_error": "エラー",
    },
}


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), if we have it."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def resolve_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    if setting in LANGUAGES:
        return setting
    return system_language(environ)


def text(lang: str, key: str, **params: object) -> str:
    table = MESSAGES.get(lang, MESSAGES["en"])
    template = table.get(key) or MESSAGES["en"][key]
    return template.format(**params)
