"""For each alert: what it means and what to do. Only facts with a source, linked.

Sources: OpenAI's help articles (the trial-credit wording of article 6643435: "an initial credit of $5
that expires after three months if this is your first OpenAI account"; error 429 insufficient_quota,
article 6891831; prepaid billing, article 8264644) as gathered in the project's provider reference.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    title: str
    meaning: str
    todo: str
    links: tuple[tuple[str, str], ...] = ()  # (text, url)


_BILLING = ("OpenAI billing overview", "https://platform.openai.com/settings/organization/billing/overview")
_GRANTS = ("OpenAI credit grants", "https://platform.openai.com/settings/organization/billing/credit-grants")
_TRIAL = ("OpenAI help: free trial credit", "https://help.openai.com/en/articles/6643435")
_QUOTA = ("OpenAI help: error 429 insufficient_quota", "https://help.openai.com/en/articles/6891831")
_PREPAID = ("OpenAI help: prepaid billing", "https://help.openai.com/en/articles/8264644")

EXPLANATIONS_EN: dict[str, Explanation] = {
    "second_account": Explanation(
        "Second account on the same phone or mailbox",
        "OpenAI gave free trial credit only to the first API account that verified a phone number. This "
        "account shares its phone number or mailbox with another configured account created earlier, so "
        "it received no trial credit; the credit, if any, is on the first account.",
        "Check which of your accounts were created with the same phone number or the same Google login "
        "(a Gmail alias that signed in through your main Google account ends up in that account). Use the "
        "key of the first account, or add credit to this one. The billing page of each account lists its "
        "grants.",
        (_TRIAL, _GRANTS),
    ),
    "same_login": Explanation(
        "Two keys of one login",
        "Both accounts' keys belong to the same OpenAI login, so they draw on the same credit. This "
        "happens when a sign-up 'with an alias' really signed in through the main Google account.",
        "Keep one of the two entries, or label them as keys of one account.",
        (_GRANTS,),
    ),
    "no_trial_credit": Explanation(
        "No trial credit on a new account",
        "The account is less than three months old and has no granted credit. Trial credit goes only to the "
        "first phone-verified account; a second account on the same phone gets none. (New accounts since "
        "2024 use prepaid billing and may get no trial credit at all.)",
        "Check which accounts were created with the same phone or Google login; look at the Credit grants "
        "page of this account; buy credit if you mean to use this one.",
        (_TRIAL, _GRANTS, _PREPAID),
    ),
    "identity_changed": Explanation(
        "The key belongs to another login now",
        "The key's owner (user id) differs from the one seen before: the key was replaced by one of "
        "another account, or the account was changed.",
        "Check that this is the key you meant; open Details and confirm the new owner to stop this warning.",
    ),
    "credit_zero": Explanation(
        "No credit left",
        "API calls of this account now fail (for OpenAI: error 429 insufficient_quota). Nothing is charged "
        "automatically unless a payment method with auto-recharge is set; trial credit is spent before paid "
        "credit.",
        "Add credit on the provider's billing page, or switch your tools to an account with credit.",
        (_QUOTA, _BILLING, _PREPAID),
    ),
    "spend_limit": Explanation(
        "Spend limit reached",
        "The organization's monthly spend limit is being enforced: API requests are refused until the limit "
        "is raised or the month ends. This is a cap you set, not a lack of credit.",
        "Raise the limit on the billing page's limits section, or wait for the next period.",
        (_BILLING,),
    ),
    "credit_low": Explanation(
        "Credit is low",
        "The remaining credit is at or below your warning threshold.",
        "Add credit before it runs out, or lower the threshold in Settings.",
        (_BILLING,),
    ),
    "expiring_soon": Explanation(
        "Credit expires soon",
        "Granted and prepaid credit expires (OpenAI: trial credit after about three months, purchased "
        "credit one year after purchase); what is left on that day is lost, and the provider does not "
        "extend it.",
        "Use the credit before the date, or accept the loss; the expiry comes from the provider or from the "
        "grant you entered.",
        (_GRANTS, _PREPAID),
    ),
    "runs_out_soon": Explanation(
        "Credit runs out soon at the current rate",
        "A projection from this app's own readings, not a figure from the provider: at the average spend of "
        "the last 14 days (intervals with a top-up left out), the remaining credit reaches zero within the "
        "warning window set in Settings (7 days unless changed). Once it is gone, API calls fail (for OpenAI: "
        "error 429 insufficient_quota).",
        "Add credit before that date, or move work to an account with credit; the forecast is updated with every poll.",
        (_QUOTA, _BILLING),
    ),
    "will_expire_unused": Explanation(
        "Credit will expire unused",
        "At the recent rate of spend, part of the granted credit is still left on its expiry date, and what "
        "is left on that day is lost: the provider does not extend it. Trial credit is spent before paid "
        "credit, so the amount shown is what remains of the grant after the projected spend.",
        "Use the credit before the date (for example, send more of your work to this account), or accept the "
        "loss; the expiry comes from the provider or from the grant you entered.",
        (_GRANTS, _TRIAL),
    ),
    "key_invalid": Explanation(
        "Key rejected",
        "The provider answered 401: the key is invalid, was revoked, or belongs to a deleted project.",
        "Create a new key on the provider's site and enter it with Edit account.",
    ),
    "stale": Explanation(
        "Data is old",
        "No fresh reading for three poll intervals: the numbers shown may no longer be true.",
        "Check the error shown for the account (network, keyring, provider); Refresh now retries at once.",
    ),
}


_TRIAL_JA = ("OpenAI ヘルプ: 無料トライアルクレジット", _TRIAL[1])
_QUOTA_JA = ("OpenAI ヘルプ: エラー 429 insufficient_quota", _QUOTA[1])
_PREPAID_JA = ("OpenAI ヘルプ: 前払い請求", _PREPAID[1])
_BILLING_JA = ("OpenAI 請求の概要", _BILLING[1])
_GRANTS_JA = ("OpenAI クレジット付与（Credit grants）", _GRANTS[1])

EXPLANATIONS_JA: dict[str, Explanation] = {
    "second_account": Explanation(
        "同じ電話番号またはメールボックスの2つ目のアカウント",
        "OpenAI の無料トライアルクレジットは、電話番号を認証した最初の API アカウントにのみ付与されました。"
        "このアカウントは先に作成された別のアカウントと電話番号またはメールボックスが同じため、"
        "トライアルクレジットを受け取っていません。クレジットがあるとすれば最初のアカウントです。",
        "同じ電話番号や同じ Google ログインで作成したアカウントを確認してください（Gmail のエイリアスで登録した"
        "つもりでも、実際にはメインの Google アカウントでログインしていることがあります）。最初のアカウントの"
        "キーを使うか、このアカウントにクレジットを追加してください。各アカウントの請求ページに付与が一覧されます。",
        (_TRIAL_JA, _GRANTS_JA),
    ),
    "same_login": Explanation(
        "同じログインの2つのキー",
        "両方のアカウントのキーが同じ OpenAI ログインのもので、同じクレジットを使います。"
        "「エイリアスで登録」したつもりが、実際にはメインの Google アカウントでログインしていた場合に起こります。",
        "どちらか一方を残すか、同じアカウントのキーとしてラベルを付けてください。",
        (_GRANTS_JA,),
    ),
    "no_trial_credit": Explanation(
        "新しいアカウントにトライアルクレジットがない",
        "作成から3か月以内のアカウントですが、付与されたクレジットがありません。トライアルクレジットは電話番号を"
        "認証した最初のアカウントにのみ付与され、同じ電話番号の2つ目のアカウントには付与されません"
        "（2024年以降の新しいアカウントは前払い請求で、トライアルクレジットがない場合もあります）。",
        "同じ電話番号や Google ログインで作成したアカウントを確認し、このアカウントの Credit grants ページを"
        "見てください。このアカウントを使うならクレジットを購入してください。",
        (_TRIAL_JA, _GRANTS_JA, _PREPAID_JA),
    ),
    "identity_changed": Explanation(
        "キーの所有者が変わりました",
        "キーの所有者（ユーザー ID）が以前と異なります。別のアカウントのキーに置き換えられたか、アカウントが"
        "変更されました。",
        "意図したキーか確認し、詳細画面で新しい所有者を確認するとこの警告は消えます。",
    ),
    "credit_zero": Explanation(
        "クレジット残高がありません",
        "このアカウントの API 呼び出しは失敗します（OpenAI ではエラー 429 insufficient_quota）。自動チャージ付きの"
        "支払い方法を設定していない限り、自動で請求されることはありません。トライアルクレジットは有料クレジット"
        "より先に消費されます。",
        "プロバイダーの請求ページでクレジットを追加するか、クレジットのあるアカウントに切り替えてください。",
        (_QUOTA_JA, _BILLING_JA, _PREPAID_JA),
    ),
    "spend_limit": Explanation(
        "利用上限に達しました",
        "組織の月間利用上限が適用されています。上限を引き上げるか月が変わるまで API リクエストは拒否されます。"
        "これは設定した上限であり、クレジット不足ではありません。",
        "請求ページの上限設定で引き上げるか、次の期間までお待ちください。",
        (_BILLING_JA,),
    ),
    "credit_low": Explanation(
        "クレジット残高が少なくなっています",
        "残りのクレジットが警告のしきい値以下です。",
        "なくなる前にクレジットを追加するか、設定でしきい値を下げてください。",
        (_BILLING_JA,),
    ),
    "expiring_soon": Explanation(
        "クレジットの有効期限が近づいています",
        "付与・前払いのクレジットには有効期限があります（OpenAI: トライアルは約3か月、購入分は購入から1年）。"
        "その日に残っている分は失われ、プロバイダーは期限を延長しません。",
        "期限までに使い切るか、失われることを受け入れてください。期限はプロバイダーの情報か、入力した付与から"
        "求めています。",
        (_GRANTS_JA, _PREPAID_JA),
    ),
    "runs_out_soon": Explanation(
        "今のペースではまもなくクレジットがなくなります",
        "プロバイダーの数値ではなく、このアプリ自身の読み取りからの予測です。直近14日間の平均消費"
        "（チャージのあった区間は除外）では、残りのクレジットが設定の警告期間（変更しなければ7日）以内に0になります。"
        "なくなると API 呼び出しは失敗します（OpenAI: エラー 429 insufficient_quota）。",
        "その日より前にクレジットを追加するか、クレジットのあるアカウントに作業を移してください。予測はポーリングの"
        "たびに更新されます。",
        (_QUOTA_JA, _BILLING_JA),
    ),
    "will_expire_unused": Explanation(
        "クレジットが未使用のまま失効します",
        "最近の消費ペースでは、付与されたクレジットの一部が有効期限の日にまだ残り、その分は失われます。"
        "プロバイダーは期限を延長しません。トライアルクレジットは有料クレジットより先に使われるため、表示額は"
        "予測される消費の後に付与分として残る額です。",
        "期限までに使う（例えば作業の多くをこのアカウントに回す）か、失われることを受け入れてください。期限は"
        "プロバイダーの情報か、入力した付与から求めています。",
        (_GRANTS_JA, _TRIAL_JA),
    ),
    "key_invalid": Explanation(
        "キーが拒否されました",
        "プロバイダーが 401 を返しました。キーが無効か、取り消されたか、削除されたプロジェクトのものです。",
        "プロバイダーのサイトで新しいキーを作成し、アカウントの編集で入力してください。",
    ),
    "stale": Explanation(
        "データが古くなっています",
        "ポーリング間隔3回分、新しい読み取りがありません。表示している数値は現在と異なる可能性があります。",
        "アカウントに表示されているエラー（ネットワーク、キーリング、プロバイダー）を確認してください。"
        "「今すぐ更新」ですぐに再試行します。",
    ),
}

EXPLANATIONS: dict[str, dict[str, Explanation]] = {"en": EXPLANATIONS_EN, "ja": EXPLANATIONS_JA}


def explain(code: str, lang: str = "en") -> Explanation | None:
    return EXPLANATIONS.get(lang, EXPLANATIONS_EN).get(code) or EXPLANATIONS_EN.get(code)
