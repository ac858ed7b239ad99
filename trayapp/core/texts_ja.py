"""Japanese for the sentences the Qt-free layers write (core/i18n.py), keyed by the English template.

A template is the exact first argument of a tr() call; a translation keeps every {placeholder} of it.
tests/unit/test_i18n_catalog.py checks both ways: every tr() has an entry here, every entry is used.
Terms follow the UI's translation (resources/translations/trayapp_ja.ts) and core/texts.py: クレジット,
キー, APIキー, 管理者キー, 管理キー, OSのキーリング, ベースURL, プロバイダー, 付与, チャージ.
"""

from __future__ import annotations

JA: dict[str, str] = {
    # ------------------------------------------------------------ core: errors, validation
    "Unexpected answer from {provider}": "{provider} から予期しない応答",
    "{endpoint}: field '{field}' {problem}. The last good data is kept.": (
        "{endpoint}: フィールド「{field}」{problem}。最後に取得できたデータを保持しています。"
    ),
    "Invalid base URL": "無効なベースURL",
    "'{url}' is not an http(s) URL with a host.": "「{url}」はホストを含む http(s) の URL ではありません。",
    "A base URL must not contain a user name or password.": (
        "ベースURLにユーザー名やパスワードを含めることはできません。"
    ),
    "Insecure base URL": "安全でないベースURL",
    "'{url}' uses plain http to another machine, which would send the key in clear. Use https (plain http is "
    "accepted only for 127.0.0.1, ::1 and localhost).": (
        "「{url}」は別のマシンへの暗号化されていない http で、キーが平文で送られてしまいます。"
        "https を使ってください（http を使えるのは 127.0.0.1、::1、localhost だけです）。"
    ),
    "Invalid amount": "無効な金額",
    "'{text}' is not a number.": "「{text}」は数値ではありません。",
    "A grant's amount must be a positive number.": "付与の金額は正の数でなければなりません。",
    "Invalid {what}": "無効な{what}",
    "'{text}' is not a date like 2026-12-31.": "「{text}」は 2026-12-31 のような日付ではありません。",
    "Invalid currency": "無効な通貨",
    "'{text}' is not a three-letter currency code like USD.": (
        "「{text}」は USD のような3文字の通貨コードではありません。"
    ),
    # ------------------------------------------------------------ core: forecasts, why unknown
    "{n} days": "{n}日",
    "{n} h": "{n}時間",
    "only one reading so far": "記録がまだ1回しかありません",
    "no readings yet": "記録がまだありません",
    "too little history: {hours} h of readings without a top-up; a forecast needs at least {needed} h": (
        "履歴が足りません: チャージのない記録が{hours}時間分しかなく、予測には{needed}時間分以上が必要です"
    ),
    "the remaining credit is not known": "クレジット残高が分かりません",
    "no credit left": "クレジット残高がありません",
    "no spending in the last {span}": "過去{span}の間、消費がありません",
    "spending is too slow to run out within ten years": "消費が少なく、10年以内にはなくなりません",
    "the provider does not report it": "プロバイダーが報告していません",
    # ------------------------------------------------------------ polling (engine)
    "Unknown provider": "不明なプロバイダー",
    "'{provider}' is not a provider this version knows.": (
        "「{provider}」はこのバージョンが対応していないプロバイダーです。"
    ),
    "Key missing": "キーがありません",
    "No {kind} key for this account in the OS secret store; edit the account to enter it again.": (
        "このアカウントの {kind} キーがOSのキーリングにありません。アカウントを編集して入力し直してください。"
    ),
    "{provider} could not be read": "{provider} を読み取れませんでした",
    "Internal error while reading the answer ({error}).": "応答の読み取り中に内部エラーが発生しました（{error}）。",
    "No answer in time": "時間内に応答がありません",
    "{provider} did not answer within {seconds} s.": "{provider} が{seconds}秒以内に応答しませんでした。",
    "Fetch failed": "取得に失敗しました",
    "The background fetch ended before this account was read (exit status {status}).": (
        "このアカウントを読み取る前にバックグラウンドの取得処理が終了しました（終了ステータス {status}）。"
    ),
    # ------------------------------------------------------------ the shared HTTP layer (providers/http.py)
    "key": "キー",
    "null": "null値",
    "a boolean": "真偽値",
    "a number": "数値",
    "text": "テキスト",
    "a list": "リスト",
    "an object": "オブジェクト",
    "something else": "その他の値",
    "is missing": "がありません",
    "is null": "が null です",
    "is {kind}, not an object": "が{kind}で、オブジェクトではありません",
    "is {kind}, not a list": "が{kind}で、リストではありません",
    "is {kind}, not an amount": "が{kind}で、金額ではありません",
    "is {kind}, not true or false": "が{kind}で、true / false ではありません",
    "is {kind}, not a whole number": "が{kind}で、整数ではありません",
    "is {kind}, not text": "が{kind}で、テキストではありません",
    "is a boolean ({value}), not an amount": "が真偽値（{value}）で、金額ではありません",
    "is '{value}', not a number": "が「{value}」で、数値ではありません",
    "is not a finite number": "が有限の数値ではありません",
    "is {value}, far larger than any real balance": "が {value} で、実際の残高としては大きすぎます",
    "is negative ({value}), which it cannot be": "が負の値（{value}）ですが、負にはなりえません",
    "is {value}, outside the possible range": "が {value} で、取りうる範囲の外です",
    "Base URL needed": "ベースURLが必要です",
    "{provider} has no default address: set the account's base URL.": (
        "{provider} には既定のアドレスがありません。アカウントのベースURLを設定してください。"
    ),
    "No {key} for this {provider} account in the secret store.": (
        "この {provider} アカウントの{key}がOSのキーリングにありません。"
    ),
    "Invalid key": "無効なキー",
    "The {key} contains spaces or characters a key cannot have; enter it again.": (
        "{key}に空白か、キーに使えない文字が含まれています。入力し直してください。"
    ),
    "{provider} did not answer {endpoint} within {seconds} s.": (
        "{provider} が {endpoint} に{seconds}秒以内に応答しませんでした。"
    ),
    "Redirected": "リダイレクトされました",
    "Certificate problem": "証明書の問題",
    "The certificate of {host} could not be verified, so nothing was sent to it ({reason}).": (
        "{host} の証明書を検証できなかったため、何も送信していません（{reason}）。"
    ),
    "Secure connection failed": "安全な接続に失敗しました",
    "No secure connection could be made to {host}, so nothing was sent to it ({reason}).": (
        "{host} と安全な接続を確立できなかったため、何も送信していません（{reason}）。"
    ),
    "No connection": "接続できません",
    "Could not reach {provider} at {host}: {reason}.": "{host} の {provider} に接続できませんでした: {reason}。",
    "connection failed": "接続に失敗しました",
    "Connection failed": "接続に失敗しました",
    "The connection to {provider} at {host} failed ({error}: {reason}).": (
        "{host} の {provider} への接続に失敗しました（{error}: {reason}）。"
    ),
    "{endpoint} answered more than {size} KiB, far more than a balance takes; it was not read.": (
        "{endpoint} の応答が {size} KiB を超え、残高の応答としては大きすぎるため読み取っていません。"
    ),
    "an unknown address": "不明なアドレス",
    "{provider} redirected {endpoint} ({status}) to {where}. Redirects are not followed, so the key was not sent "
    "there; check the account's base URL.": (
        "{provider} が {endpoint} を {where} にリダイレクトしました（{status}）。リダイレクトには従わないため、"
        "キーはそこへ送信していません。アカウントのベースURLを確認してください。"
    ),
    "an HTML page: '{title}'": "HTML ページ（「{title}」）",
    "an HTML page": "HTML ページ",
    "an empty body": "空の本文",
    "text that is not JSON ('{text}')": "JSON ではないテキスト（「{text}」）",
    "{endpoint} answered {what} instead of JSON (HTTP {status}). The base URL may point at a web page rather than "
    "the API. The last good data is kept.": (
        "{endpoint} が JSON ではなく、{what}を返しました（HTTP {status}）。ベースURLが API ではなく Web ページを"
        "指している可能性があります。最後に取得できたデータを保持しています。"
    ),
    ": {said}": "：{said}",
    "Out of credit": "クレジット不足",
    "{provider} says the credit is used up ({status}){quote}.{hint}": (
        "{provider} によるとクレジットを使い切りました（{status}）{quote}。{hint}"
    ),
    "Key rejected": "キーが拒否されました",
    "{provider} rejected the {key} ({status}){quote}. It may be mistyped, revoked or expired.{hint}": (
        "{provider} が{key}を拒否しました（{status}）{quote}。入力ミスか、取り"
        "消されたか、期限切れの可能性があります。{hint}"
    ),
    "Access refused": "アクセスが拒否されました",
    "{provider} refused {endpoint} to this {key} ({status}){quote}.{hint}": (
        "{provider} がこの{key}での {endpoint} を拒否しました（{status}）{quote}。{hint}"
    ),
    "Rate limited": "レート制限",
    "; it asks to wait {seconds} s": "。{seconds}秒待つよう求めています",
    "{provider} asks to slow down ({status}){wait}{quote}.{hint}": (
        "{provider} からリクエストを減らすよう求められました（{status}）{wait}{quote}。{hint}"
    ),
    "Not found": "見つかりません",
    "{provider} has no {endpoint} at this address ({status}){quote}; check the account's base URL.{hint}": (
        "このアドレスの {provider} には {endpoint} がありません（{status}）{"
        "quote}。アカウントのベースURLを確認してください。{hint}"
    ),
    "Provider error": "プロバイダーのエラー",
    "{provider} had a server error ({status}) on {endpoint}{quote}. The last good data is kept.{hint}": (
        "{provider} の {endpoint} でサーバーエラーが発生しました（{status}）{"
        "quote}。最後に取得できたデータを保持しています。{hint}"
    ),
    "Request refused": "リクエストが拒否されました",
    "{provider} answered {status} on {endpoint}{quote}.{hint}": (
        "{provider} が {endpoint} に {status} を返しました{quote}。{hint}"
    ),
    "a request with the {key} outside {path}": "{path} の外への{key}付きのリクエスト",
    " OpenAI does not serve the country or region this request comes from.": (
        "OpenAI はこのリクエスト元の国・地域ではサービスを提供していません。"
    ),
    " Admin keys need the organization Owner role.": "管理者キーには組織の Owner ロールが必要です。",
    " A project or restricted key may have no billing access, or its project may not use this.": (
        "請求情報へのアクセス権のないプロジェクトキーや制限付きキーか、プロジェクトでこの機能を使えないキーの"
        "可能性があります。"
    ),
    " Billing is not active for this organization.": "この組織では請求が有効になっていません。",
    " Add credit on the billing page.": "請求ページでクレジットを追加してください。",
    " This is throttling, not a lack of credit (that would be insufficient_quota).": (
        "これはリクエストの制限で、クレジット不足ではありません（クレジット不足なら insufficient_quota になります）。"
    ),
    "{provider} reported an error": "{provider} がエラーを報告しました",
    "{endpoint} answered code {code}{quote}.": "{endpoint} がコード {code} を返しました{quote}。",
    # ------------------------------------------------------------ OpenAI
    "API key": "APIキー",
    "session key": "セッションキー",
    "admin key": "管理者キー",
    "a request to another address than the account's base URL": "アカウントのベースURL以外のアドレスへのリクエスト",
    "{endpoint}: not sent, because it would be {refused}.": "{endpoint}: {refused}になるため、送信していません。",
    "OpenAI could not be read": "OpenAI を読み取れませんでした",
    "{endpoint}: {error}.": "{endpoint}: {error}。",
    " A session key stops working when you log out of platform.openai.com.": (
        "セッションキーは platform.openai.com からログアウトすると使えなくなります。"
    ),
    "Billing not active": "請求が有効になっていません",
    "is not a Unix time in seconds": "が Unix 時刻（秒）ではありません",
    "is missing (and there is no grants list)": "がありません（grants の一覧もありません）",
    "is {currency}, not usd": "が {currency} で、usd ではありません",
    "is missing although has_more is true": "がありません（has_more は true です）",
    "repeats an earlier page": "が前のページと同じです",
    "goes on beyond {pages} pages": "が{pages}ページを超えて続いています",
    "balance not readable with this key": "このキーでは残高を読み取れません",
    "add an admin key (sk-admin-…) and enter your credit grants with their dates to compute it, or turn on the "
    "probe to learn when it runs out": (
        "計算するには管理者キー（sk-admin-…）を追加してクレジットの付与を日付とともに入力するか、"
        "プローブを有効にしてクレジット切れを検出してください"
    ),
    "{not_readable}: OpenAI shows credit grants only to the browser session, not to API keys; {hint}": (
        "{not_readable}: OpenAI はクレジットの付与をブラウザーのセッションにだけ表示し、APIキーには表示しません。{hint}"
    ),
    "{not_readable}: OpenAI has no balance endpoint for API keys (project and service-account keys cannot read "
    "credit grants); {hint}": (
        "{not_readable}: OpenAI にはAPIキー向けの残高エンドポイントがありません"
        "（プロジェクトキーやサービスアカウントキーはクレジットの付与を読み取れません）。{hint}"
    ),
    "{not_readable} this time (the credit_grants endpoint did not answer); {hint}": (
        "今回は{not_readable}（credit_grants エンドポイントが応答しませんでした）。{hint}"
    ),
    "{not_readable}: subtracting what was spent since your grants needs an admin key (sk-admin-…); the expiry of "
    "your grants still counts down": (
        "{not_readable}: 付与以降の使用額を差し引くには管理者キー（sk-admin-…）が必要です。"
        "付与の有効期限のカウントダウンは引き続き行われます"
    ),
    "{not_readable}: the admin key reads spending, not credit; enter your credit grants with their dates (Billing → "
    "Credit grants) to compute what is left": (
        "{not_readable}: 管理者キーで読み取れるのは使用額で、クレジットではありません。残りを計算するには、"
        "クレジットの付与を日付とともに入力してください（Billing → Credit grants）"
    ),
    ", expiring {date}": "（有効期限 {date}）",
    "{not_readable}: the grant of {amount}{until} has no effective date; enter it so the costs since then can be "
    "subtracted": (
        "{not_readable}: {amount} の付与{until}に開始日がありません。それ以降のコストを差し引けるよう入力してください"
    ),
    "Not an admin key": "管理者キーではありません",
    "The admin key of this account does not start with sk-admin-.": (
        "このアカウントの管理者キーが sk-admin- で始まっていません。"
    ),
    "The computed {amount} is overridden: OpenAI refuses requests for lack of credit (a grant entered may be "
    "wrong, or costs not yet reported).": (
        "計算した {amount} は無効です: OpenAI はクレジット不足でリクエストを拒否しています"
        "（入力した付与が誤っているか、コストがまだ報告されていない可能性があります）。"
    ),
    "The key belongs to a personal organization.": "このキーは個人の組織のものです。",
    "Who the key belongs to could not be read again (/v1/me: {why}); shown as before.": (
        "キーの所有者を再取得できませんでした（/v1/me: {why}）。以前の情報を表示しています。"
    ),
    "Who the key belongs to could not be read (/v1/me: {why}); only its organization is known, from the "
    "openai-organization header.": (
        "キーの所有者を取得できませんでした（/v1/me: {why}）。"
        "openai-organization ヘッダーから組織だけが分かっています。"
    ),
    "Who the key belongs to could not be read (/v1/me: {why}).": (
        "キーの所有者を取得できませんでした（/v1/me: {why}）。"
    ),
    "A session key is as powerful as your login: anyone holding it can act on your account. It stops working when "
    "you log out of platform.openai.com.": (
        "セッションキーはログインと同じ権限を持ちます。持っている人は誰でもあなたのアカウントを操作できます。"
        "platform.openai.com からログアウトすると使えなくなります。"
    ),
    "The plan could not be read ({why}).": "プランを取得できませんでした（{why}）。",
    "The plan could not be read ({why})": "プランを取得できませんでした（{why}）",
    "Plan: {plan} (free trial).": "プラン: {plan}（無料トライアル）。",
    "Plan: {plan}.": "プラン: {plan}。",
    "Monthly usage limit: {amount}.": "月間の利用上限: {amount}。",
    "Access until {date} (subscription).": "{date} まで利用可能（サブスクリプション）。",
    "{count} expired grant(s) ({amount}) no longer count.": "期限切れの付与 {count} 件（{amount}）は計上していません。",
    "credit_grants: {why}; tried again next time.": "credit_grants: {why}。次回もう一度試します。",
    "Credit grants read with this key (older user keys still may).": (
        "このキーでクレジットの付与を読み取りました（古いユーザーキーではまだ読み取れる場合があります）。"
    ),
    " (checked {time} UTC)": "（{time} UTC に確認）",
    "A 1-token test request succeeded: the key can still spend{at}.": (
        "1トークンのテストリクエストが成功しました。このキーはまだ使えます{at}。"
    ),
    "OpenAI refused a 1-token test request for lack of credit{at}.": (
        "OpenAI がクレジット不足のため1トークンのテストリクエストを拒否しました{at}。"
    ),
    "OpenAI refused a 1-token test request: billing is not active{at}.": (
        "OpenAI が1トークンのテストリクエストを拒否しました。請求が有効になっていません{at}。"
    ),
    "The 1-token test request was throttled (429): not out of credit{at}.": (
        "1トークンのテストリクエストが制限されました（429）。クレジット不足ではありません{at}。"
    ),
    "The 1-token test request was refused (permission or model){at}.": (
        "1トークンのテストリクエストが拒否されました（権限またはモデル）{at}。"
    ),
    "The 1-token test request failed ({why}); tried again next poll.": (
        "1トークンのテストリクエストに失敗しました（{why}）。次回の確認でもう一度試します。"
    ),
    "The spend limit could not be read ({why}).": "利用上限を取得できませんでした（{why}）。",
    "monthly": "月間",
    " of {amount}": "（{amount}）",
    "The organization reached its {interval} spend limit{amount}: OpenAI refuses requests until the limit is raised "
    "or the period ends.": (
        "組織が{interval}の利用上限{amount}に達しました。上限を引き上げるか期間が終わるまで、"
        "OpenAI はリクエストを拒否します。"
    ),
    "{count} grant(s) not in USD are left out: OpenAI reports costs in USD.": (
        "USD 以外の付与 {count} 件は除外しています。OpenAI はコストを USD で報告します。"
    ),
    "Spent this month so far: {amount} (costs lag by up to a day).": (
        "今月これまでの使用額: {amount}（コストの反映は最大1日遅れます）。"
    ),
    "Remaining = the grants you entered − the organization's costs since each grant's effective date, the grant "
    "expiring first used first (costs lag by up to a day).": (
        "残高 = 入力した付与 − 各付与の開始日以降の組織のコスト。有効期限の早い付与から先に使われます"
        "（コストの反映は最大1日遅れます）。"
    ),
    "{amount} of costs since {date} fall outside every grant you entered (before its effective date, after its "
    "expiry, or beyond its amount): a grant may be missing.": (
        "{date} 以降のコストのうち {amount} は、入力したどの付与にも当てはまりません"
        "（開始日より前、有効期限より後、または金額の超過）。付与が入力漏れかもしれません。"
    ),
    # ------------------------------------------------------------ DeepSeek, Moonshot, SiliconFlow
    "repeats {currency}": "で {currency} が重複しています",
    "is not a three-letter currency code": "が3文字の通貨コードではありません",
    "DeepSeek says this balance cannot be used for API calls right now (is_available: false); it is counted as no "
    "spendable credit until DeepSeek lifts that.": (
        "DeepSeek によると、この残高は現在 API 呼び出しに使えません（is_available: false）。"
        "DeepSeek が解除するまで、使えるクレジットはないものとして扱います。"
    ),
    "DeepSeek reported no balance in any currency.": "DeepSeek はどの通貨の残高も報告しませんでした。",
    "DeepSeek reported no {currency} balance; showing {shown}.": (
        "DeepSeek は {currency} の残高を報告しませんでした。{shown} を表示しています。"
    ),
    "Also {amount} {currency} ({granted} granted, {paid} topped up).": (
        "ほかに {amount} {currency}（付与分 {granted}、チャージ分 {paid}）。"
    ),
    "DeepSeek's {currency} total ({total}) is not granted + topped up ({parts}); the total is shown ({field}).": (
        "DeepSeek の {currency} の合計（{total}）が付与分 + チャージ分（{parts}）と一致しません。"
        "合計を表示しています（{field}）。"
    ),
    "The cash balance is {cash} (owed); what can be spent is the voucher part only.": (
        "現金残高は {cash}（未払い）です。使えるのはバウチャー分だけです。"
    ),
    "Moonshot's available balance ({available}) is not voucher + cash ({expected}); the available balance is shown.": (
        "Moonshot の利用可能残高（{available}）がバウチャー + 現金（{expected}）と一致しません。"
        "利用可能残高を表示しています。"
    ),
    "Moonshot's answer has no currency and this host does not tell (moonshot.cn is CNY, moonshot.ai is USD): set "
    "the account's currency.": (
        "Moonshot の応答には通貨がなく、このホストからも判定できません（moonshot.cn は CNY、moonshot.ai は USD）。"
        "アカウントの通貨を設定してください。"
    ),
    "Moonshot does not say when voucher credit expires; enter it with `accounts grant`.": (
        "Moonshot はバウチャーの有効期限を示しません。`accounts grant` で入力してください。"
    ),
    "SiliconFlow's total ({total}) is not paid + gift ({parts}); the total is shown.": (
        "SiliconFlow の合計（{total}）が有料分 + ギフト分（{parts}）と一致しません。合計を表示しています。"
    ),
    "SiliconFlow's answer has no currency and this host does not tell (siliconflow.cn is CNY, siliconflow.com is "
    "USD): set the account's currency.": (
        "SiliconFlow の応答には通貨がなく、このホストからも判定できません"
        "（siliconflow.cn は CNY、siliconflow.com は USD）。アカウントの通貨を設定してください。"
    ),
    "SiliconFlow does not say when gift credit expires; enter it with `accounts grant`.": (
        "SiliconFlow はギフトクレジットの有効期限を示しません。`accounts grant` で入力してください。"
    ),
    # ------------------------------------------------------------ OpenRouter, relays, demo
    "This key has no spending limit of its own, so it draws on the account balance, which OpenRouter shows only to "
    "a management key: add one to the account to read it.": (
        "このキーには独自の利用上限がなく、アカウントの残高を使います。OpenRouter はその残高を管理キーにしか"
        "表示しません。読み取るにはアカウントに管理キーを追加してください。"
    ),
    "OpenRouter gave no limit_remaining; computed as the key's limit minus usage.": (
        "OpenRouter が limit_remaining を返さなかったため、キーの上限から使用量を引いて計算しました。"
    ),
    "is missing although the key has a limit": "がありません（キーには上限があります）",
    "The key's limit of ${limit} resets {reset}.": "キーの上限 ${limit} のリセット: {reset}。",
    "The account balance (${balance}) is below this key's remaining limit.": (
        "アカウントの残高（${balance}）がこのキーの上限の残りを下回っています。"
    ),
    "The key's own limit leaves less than the account balance (${balance}).": (
        "キー自体の上限の残りがアカウントの残高（${balance}）を下回っています。"
    ),
    "This is what the key's own limit leaves; the account balance may be lower (a management key would show it).": (
        "これはキー自体の上限の残りです。アカウントの残高はこれより少ない可能性があります（管理キーがあれば表示されます）。"
    ),
    "OpenRouter marks this key as free tier: the account has never bought credits, so only free models are usable.": (
        "OpenRouter はこのキーを無料枠としています。アカウントでクレジットを購入したことがないため、"
        "無料のモデルしか使えません。"
    ),
    "The key itself expires at {time}.": "キー自体は {time} に期限切れになります。",
    "management key": "管理キー",
    "Management key refused": "管理キーが拒否されました",
    "{message} The account balance (/credits) needs an OpenRouter management key; a normal API key is not enough. "
    "Enter a management key, or remove it from the account to show only the key's limit.": (
        "{message} アカウントの残高（/credits）には OpenRouter の管理キーが必要で、通常のAPIキーでは読み取れません。"
        "管理キーを入力するか、アカウントから削除してキーの上限だけを表示してください。"
    ),
    "The relay reports this key as unlimited (quota 100000000): it has no quota of its own, and the relay does not "
    "show the balance behind it.": (
        "リレーはこのキーを無制限（クォータ 100000000）としています。キー独自のクォータはなく、"
        "リレーはその背後の残高を表示しません。"
    ),
    "The relay says this key expired on {date}; its quota can no longer be spent.": (
        "リレーによると、このキーは {date} に期限切れになりました。クォータはもう使えません。"
    ),
    "Relays label amounts USD, but some count in CNY or other units: set the account's currency if this relay does.": (
        "リレーは金額を USD と表示しますが、CNY など別の単位で数えるものもあります。"
        "このリレーがそうなら、アカウントの通貨を設定してください。"
    ),
    "Demo: the provider answered 401: the key is invalid or was revoked.": (
        "デモ: プロバイダーが 401 を返しました。キーが無効か、取り消されています。"
    ),
    "Unknown demo scenario": "不明なデモのシナリオ",
    "'{scenario}' is not a demo scenario": "「{scenario}」はデモのシナリオではありません",
    # ------------------------------------------------------------ the OS keyring
    "No secret store": "OSのキーリングがありません",
    "No usable OS secret store was found (Secret Service / KWallet on Linux, Keychain on macOS, Credential Locker "
    "on Windows). Keys are never written to a plain file: start your desktop's keyring (e.g. gnome-keyring) and "
    "try again.": (
        "使用できるOSのキーリングが見つかりません（Linux では Secret Service / KWallet、macOS ではキーチェーン、"
        "Windows では資格情報マネージャー）。キーが通常のファイルに書き込まれることはありません。"
        "デスクトップのキーリング（gnome-keyring など）を起動してから、もう一度試してください。"
    ),
    "Secret store not answering": "OSのキーリングが応答しません",
    "The OS secret store did not answer within {seconds} s. It may be waiting for you to unlock it: unlock your "
    "keyring, then choose Refresh now.": (
        "OSのキーリングが{seconds}秒以内に応答しませんでした。ロック解除を待っている可能性があります。"
        "キーリングのロックを解除してから「今すぐ更新」を選んでください。"
    ),
    "Keyring locked": "キーリングがロックされています",
    "The OS keyring is locked. Unlock it (log in again or open your keyring manager), then choose Refresh now.": (
        "OSのキーリングがロックされています。ロックを解除してから（ログインし直すか、キーリングの管理ツールを"
        "開いてください）「今すぐ更新」を選んでください。"
    ),
    "The OS secret store cannot be used ({error}). Keys are never written to a plain file: start your desktop's "
    "keyring and try again.": (
        "OSのキーリングを使用できません（{error}）。キーが通常のファイルに書き込まれることはありません。"
        "デスクトップのキーリングを起動してから、もう一度試してください。"
    ),
    "Secret store error": "キーリングのエラー",
    "The OS secret store failed ({error}).": "OSのキーリングでエラーが発生しました（{error}）。",
    # ------------------------------------------------------------ files: config.json, state.json, history
    "No such account": "アカウントがありません",
    "There is no account with the id '{id}'.": "ID「{id}」のアカウントはありません。",
    "Duplicate account": "アカウントの重複",
    "Two accounts have the same id.": "2つのアカウントの ID が同じです。",
    "The settings file could not be read ({error}); it was kept as {file}. The previous good copy was restored.": (
        "設定ファイルを読み込めませんでした（{error}）。{file} として保存し、以前の正常なコピーを復元しました。"
    ),
    "The settings file could not be read ({error}); it was kept as {file}. Starting with no accounts.": (
        "設定ファイルを読み込めませんでした（{error}）。{file} として保存し、アカウントなしで開始します。"
    ),
    "The saved state could not be read ({error}); it was kept as {file}. Balances will be read again; your accounts "
    "and settings are not affected.": (
        "保存された状態を読み込めませんでした（{error}）。{file} として保存しました。残高は読み取り直します。"
        "アカウントと設定には影響ありません。"
    ),
    "The history of balances could not be read ({error}); it was kept as {file} and a new history was started. "
    "Current balances are not affected.": (
        "残高の履歴を読み込めませんでした（{error}）。{file} として保存し、新しい履歴を開始しました。"
        "現在の残高には影響ありません。"
    ),
    "The history was written by a newer version of Credit Tray (schema {version}); it is kept unchanged and nothing "
    "is recorded until you update.": (
        "履歴は新しいバージョンの Credit Tray で書き込まれています（スキーマ {version}）。履歴はそのまま残し、"
        "アップデートするまで何も記録しません。"
    ),
    "The history of balances cannot be opened ({error}); balances are shown but not recorded.": (
        "残高の履歴を開けません（{error}）。残高は表示しますが、記録はしません。"
    ),
    # ------------------------------------------------------------ Windows, first run
    "Credit Tray is running": "Credit Tray を実行中です",
    "Windows may hide its icon under the ^ arrow next to the clock. To keep it in view, drag it onto the taskbar, "
    "or turn it on in Settings › Personalization › Taskbar › Other system tray icons.": (
        "Windows ではアイコンが時計の横の ^ の中に隠れることがあります。常に表示するには、アイコンをタスク バーに"
        "ドラッグするか、設定 › 個人用設定 › タスク バー › その他のシステム トレイ アイコン でオンにしてください。"
    ),
}
