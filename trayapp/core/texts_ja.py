"""Japanese for the texts the Qt-free layers write (core/i18n.py), keyed by the English template: the core's
own; each provider module holds the Japanese of its texts in its `JA`, merged with this into one catalog.

A template is the exact first argument of a tr() or tr_noop() call; a translation keeps every {placeholder}.
tests/unit/test_i18n_catalog.py checks both ways: every template has an entry, every entry is used, and a
provider's texts are in its own file.
Terms follow the UI's translation (resources/translations/trayapp_ja.ts) and core/texts.py: クレジット,
キー, APIキー, 管理者キー, 管理キー, OSのキーリング, ベースURL, プロバイダー, 付与, チャージ.
"""

from __future__ import annotations

JA: dict[str, str] = {
    # ------------------------------------------------------------ secrets: systemd credentials
    "Credential unreadable": "認証情報を読み取れません",
    "The systemd credential {name} could not be read ({error}).": (
        "systemd の認証情報 {name} を読み取れませんでした（{error}）。"
    ),
    "Credential unusable": "認証情報を使用できません",
    "The systemd credential {name} is empty or holds more than one key.": (
        "systemd の認証情報 {name} が空か、複数のキーを含んでいます。"
    ),
    "Keys are read-only here": "ここではキーを変更できません",
    "This process reads its keys from systemd credentials ({directory}); change them in the service's "
    "unit (LoadCredentialEncrypted=) instead.": (
        "このプロセスはキーを systemd の認証情報（{directory}）から読み取ります。"
        "キーはサービスのユニット（LoadCredentialEncrypted=）で変更してください。"
    ),
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
    "'{url}' has no valid port: after the host comes at most one ':' and a number up to 65535.": (
        "「{url}」のポートが無効です。ホストの後に置けるのは ':' 1つと 65535 以下の数字だけです。"
    ),
    "The base URL has a space or an invisible character at position {position} (U+{code}); enter it again.": (
        "ベースURLの {position} 文字目に空白か見えない文字があります（U+{code}）。入力し直してください。"
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
    # ------------------------------------------------------------ alert messages, ages and days (core/texts.py)
    "{label}: the key was rejected ({detail}).": "{label}: キーが拒否されました（{detail}）。",
    "{label}: no credit left{amount}.": "{label}: クレジット残高がありません{amount}。",
    "{label}: no credit left ({detail}).": "{label}: クレジット残高がありません（{detail}）。",
    "{label}: credit is low: {left} left (warning at {threshold}).": (
        "{label}: クレジット残高が少なくなっています: 残り {left}（警告のしきい値 {threshold}）。"
    ),
    "{label}: credit is low: {left} left (critical at {threshold}).": (
        "{label}: クレジット残高が少なくなっています: 残り {left}（危険のしきい値 {threshold}）。"
    ),
    "{label}: the organization reached its spend limit; requests are refused until the limit is raised or the "
    "period ends.": (
        "{label}: 組織が利用上限に達しました。上限を引き上げるか期間が終わるまでリクエストは拒否されます。"
    ),
    "{label}: credit expires in {days} (on {date}).": "{label}: クレジットの有効期限まであと{days}です（{date}）。",
    "{label}: a resource pack expires in {days} (on {date}); the balance shown does not.": (
        "{label}: リソースパックの有効期限まであと{days}です（{date}）。表示中の残高には期限はありません。"
    ),
    "{label}: no fresh data for {age}; showing older data.": (
        "{label}: {age}の間、新しいデータがありません。古いデータを表示しています。"
    ),
    "{a} and {b} are keys of one login; the credit is on that one account{holder}.": (
        "{a} と {b} は同じログインのキーです。クレジットはその一つのアカウントにあります{holder}。"
    ),
    " (shown under {label})": "（{label} に表示）",
    "{second} is a second account: it shares the {shared} of {first}, created earlier. Free trial credit went only "
    "to the first phone-verified account.": (
        "{second} は2つ目のアカウントです: 先に作成された {first} と{shared}が同じです。無料トライアルクレジットは、電"
        "話番号を認証した最初のアカウントにのみ付与されました。"
    ),
    "phone number": "電話番号",
    "mailbox": "メールボックス",
    "login": "ログイン",
    " and ": "と",
    "{label} has no trial credit: new accounts get none any more (billing is prepaid since March 2024, and accounts "
    "created since mid-2025 get no automatic credit), so credit must be bought; this alone is no sign of a second "
    "account.": (
        "{label} にはトライアルクレジットがありません: 新しいアカウントにはもう付与されません（2024年3月から前払い請求"
        "になり、2025年半ば以降に作成されたアカウントには自動のクレジットがありません）。クレジットの購入が必要です。"
        "これだけでは2つ目のアカウントである証拠にはなりません。"
    ),
    "{label} got no trial credit: it shares the {shared} of {first}, created earlier, and trial credit went only to "
    "the first phone-verified account.": (
        "{label} にはトライアルクレジットがありません: 先に作成された {first} と{shared}が同じで、トライアルクレジット"
        "は電話番号を認証した最初のアカウントにのみ付与されました。"
    ),
    "{label}: the key now belongs to another login than before.": (
        "{label}: このキーは以前とは別のログインのものになっています。"
    ),
    "{label}: at the recent rate ({rate} a day) the credit runs out in {until} (around {date}).": (
        "{label}: 最近のペース（1日あたり {rate}）では、クレジットは{until}で（{date}頃）なくなります。"
    ),
    "{label}: {amount} of {kind} will expire unused on {date} (at the recent rate of {rate} a day).": (
        "{label}: {kind} {amount} が {date} に未使用のまま失効します（最近のペースは1日あたり {rate}）。"
    ),
    "trial credit": "トライアルクレジット",
    "credit": "クレジット",
    "about 1 day": "約1日",
    "about {n} days": "約{n}日",
    "less than a day": "1日未満",
    "1 day": "1日",
    "{n} min": "{n}分",
    "updated {age} ago": "{age}前に更新",
    "updated just now": "たった今更新",
    "never updated": "未更新",
    "never read": "未取得",
    "{n} critical ({names})": "危険 {n}件（{names}）",
    "{n} warning ({names})": "警告 {n}件（{names}）",
    "{n} unknown ({names})": "不明 {n}件（{names}）",
    "{groups}: {reason}": "{groups}：{reason}",
    "{label} could not be read: {reason}.": "{label} を取得できませんでした：{reason}。",
    "{label} has not been read yet.": "{label} はまだ取得されていません。",
    "{n} account(s) fine": "{n}件のアカウントは正常",
    "{n} account(s) read; {k} cannot tell the remaining credit with the keys given ({names})": (
        "{n}件のアカウントを取得。うち{k}件は与えられたキーでは残りのクレジットがわかりません（{names}）"
    ),
    "no accounts configured": "アカウントが設定されていません",
    ", ": "、",
    "data from {age}": "{age}のデータ",
    "last try failed {age}": "{age}の取得に失敗",
    "{age} ago": "{age}前",
    "just now": "たった今",
    "updated {time}": "{time}に更新",
    "data from {time}": "{time}時点のデータ",
    "last try failed at {time}": "{time}の取得に失敗",
    "unknown": "不明",
    "not read yet": "未取得",
    "error": "エラー",
    # ------------------------------------------------------------ the kinds of alert (core/alerts.py)
    "alert setting\x04No credit left": "クレジット残高なし",
    "alert code\x04credit_zero": "残高なし",
    "alert setting\x04Low credit": "クレジット残高が少ない",
    "credit is low": "クレジット残高が少なくなっています",
    "alert code\x04credit_low": "残高わずか",
    "alert setting\x04Credit expiring soon": "クレジットの有効期限が近い",
    "credit expires soon": "クレジットの有効期限が近づいています",
    "alert code\x04expiring_soon": "まもなく期限切れ",
    "alert setting\x04Credit runs out soon (forecast)": "まもなくクレジットがなくなる（予測）",
    "credit runs out soon": "まもなくクレジットがなくなります",
    "alert code\x04runs_out_soon": "まもなく残高切れ",
    "alert setting\x04Credit will expire unused (forecast)": "クレジットが未使用のまま失効する（予測）",
    "credit will expire unused": "クレジットが未使用のまま失効します",
    "alert code\x04will_expire_unused": "未使用のまま失効",
    "alert setting\x04Second account detected": "2つ目のアカウントを検出",
    "second account detected": "2つ目のアカウントを検出しました",
    "alert code\x04second_account": "2つ目のアカウント",
    "alert setting\x04Two keys of one login": "同じログインのキーが2つ",
    "two keys of one login": "同じログインのキーが2つあります",
    "alert code\x04same_login": "同じログイン",
    "alert setting\x04No trial credit": "トライアルクレジットなし",
    "no trial credit": "トライアルクレジットがありません",
    "alert code\x04no_trial_credit": "トライアルなし",
    "alert setting\x04Key owner changed": "キーの所有者が変わった",
    "key owner changed": "キーの所有者が変わりました",
    "alert code\x04identity_changed": "所有者の変更",
    "alert setting\x04Key rejected": "キーが拒否された",
    "key rejected": "キーが拒否されました",
    "alert code\x04key_invalid": "キー拒否",
    "alert setting\x04Spend limit reached": "利用上限に到達",
    "spend limit reached": "利用上限に達しました",
    "alert code\x04spend_limit": "利用上限",
    "alert setting\x04Data is old": "データが古い",
    "data is old": "データが古くなっています",
    "alert code\x04stale": "古いデータ",
    "What to do": "対処",
    # ------------------------------------------------------------ what each alert means and what to do
    "Second account on the same phone or mailbox": "同じ電話番号またはメールボックスの2つ目のアカウント",
    "This account shares its phone number or mailbox with another configured account created earlier. A provider "
    "that gives trial credit once per person gives it to the first account only.": (
        "このアカウントは、先に作成された別のアカウントと電話番号またはメールボックスが同じです。トライアルクレジットを"
        "1人に1回だけ付与するプロバイダーは、最初のアカウントにだけ付与します。"
    ),
    "Check which of your accounts were created with the same phone number or login, and use the key of the account "
    "that has the credit, or add credit to this one.": (
        "同じ電話番号やログインで作成したアカウントを確認し、クレジットのあるアカウントのキーを使うか、このアカウントに"
        "クレジットを追加してください。"
    ),
    "Both accounts' keys belong to the same login, so they draw on the same credit.": (
        "両方のアカウントのキーが同じログインのもので、同じクレジットを使います。"
    ),
    "The account is new and has no granted credit.": "新しいアカウントで、付与されたクレジットがありません。",
    "Buy credit if you mean to use this account; check whether an older account of yours has the trial.": (
        "このアカウントを使うならクレジットを購入してください。トライアルクレジットが古いアカウントにないか確認してください。"
    ),
    "Two keys of one login": "同じログインの2つのキー",
    "Keep one of the two entries, or label them as keys of one account.": (
        "どちらか一方を残すか、同じアカウントのキーとしてラベルを付けてください。"
    ),
    "No trial credit on a new account": "新しいアカウントにトライアルクレジットがない",
    "The key belongs to another login now": "キーの所有者が変わりました",
    "The key's owner (user id) differs from the one seen before: the key was replaced by one of another account, or "
    "the account was changed.": (
        "キーの所有者（ユーザー ID）が以前と異なります。別のアカウントのキーに置き換えられたか、アカウントが変更されま"
        "した。"
    ),
    "Check that this is the key you meant; open Details and confirm the new owner to stop this warning.": (
        "意図したキーか確認し、詳細画面で新しい所有者を確認するとこの警告は消えます。"
    ),
    "No credit left": "クレジット残高がありません",
    "API calls of this account now fail until credit is added. Nothing is charged automatically unless a payment "
    "method with auto-recharge is set.": (
        "クレジットを追加するまで、このアカウントの API 呼び出しは失敗します。"
        "自動チャージ付きの支払い方法を設定していない限り、自動で請求されることはありません。"
    ),
    "Granted and prepaid credit can expire: what is left on the expiry date is lost.": (
        "付与・前払いのクレジットには有効期限があり、期限の日に残っている分は失われます。"
    ),
    "A projection from this app's own readings, not a figure from the provider: at the average spend of the last 14 "
    "days (intervals with a top-up left out), the remaining credit reaches zero within the warning window set in "
    "Settings (7 days unless changed). Once it is gone, API calls fail.": (
        "プロバイダーの数値ではなく、このアプリ自身の読み取りからの予測です。直近14日間の平均消費（チャージのあった区間"
        "は除外）では、残りのクレジットが設定の警告期間（変更しなければ7日）以内に0になります。なくなると API 呼び出し"
        "は失敗します。"
    ),
    "Add credit on the provider's billing page, or switch your tools to an account with credit.": (
        "プロバイダーの請求ページでクレジットを追加するか、クレジットのあるアカウントに切り替えてください。"
    ),
    "Spend limit reached": "利用上限に達しました",
    "The organization's monthly spend limit is being enforced: API requests are refused until the limit is raised "
    "or the month ends. This is a cap you set, not a lack of credit.": (
        "組織の月間利用上限が適用されています。上限を引き上げるか月が変わるまで API リクエストは拒否されます。これは設"
        "定した上限であり、クレジット不足ではありません。"
    ),
    "Raise the limit on the billing page's limits section, or wait for the next period.": (
        "請求ページの上限設定で引き上げるか、次の期間までお待ちください。"
    ),
    "Credit is low": "クレジット残高が少なくなっています",
    "The remaining credit is at or below your warning threshold.": "残りのクレジットが警告のしきい値以下です。",
    "Add credit before it runs out, or lower the threshold in Settings.": (
        "なくなる前にクレジットを追加するか、設定でしきい値を下げてください。"
    ),
    "Credit expires soon": "クレジットの有効期限が近づいています",
    "Use the credit before the date, or accept the loss; the expiry comes from the provider or from the grant you "
    "entered.": (
        "期限までに使い切るか、失われることを受け入れてください。期限はプロバイダーの情報か、入力した付与から求めていま"
        "す。"
    ),
    "Credit runs out soon at the current rate": "今のペースではまもなくクレジットがなくなります",
    "Add credit before that date, or move work to an account with credit; the forecast is updated with every poll.": (
        "その日より前にクレジットを追加するか、クレジットのあるアカウントに作業を移してください。予測はポーリングのたび"
        "に更新されます。"
    ),
    "Credit will expire unused": "クレジットが未使用のまま失効します",
    "At the recent rate of spend, part of the granted credit is still left on its expiry date, and what is left on "
    "that day is lost: the provider does not extend it. Trial credit is spent before paid credit, so the amount "
    "shown is what remains of the grant after the projected spend.": (
        "最近の消費ペースでは、付与されたクレジットの一部が有効期限の日にまだ残り、その分は失われます。プロバイダーは期"
        "限を延長しません。トライアルクレジットは有料クレジットより先に使われるため、表示額は予測される消費の後に付与分"
        "として残る額です。"
    ),
    "Use the credit before the date (for example, send more of your work to this account), or accept the loss; the "
    "expiry comes from the provider or from the grant you entered.": (
        "期限までに使う（例えば作業の多くをこのアカウントに回す）か、失われることを受け入れてください。期限はプロバイダ"
        "ーの情報か、入力した付与から求めています。"
    ),
    "The provider answered 401: the key is invalid, was revoked, or belongs to a deleted project.": (
        "プロバイダーが 401 を返しました。キーが無効か、取り消されたか、削除されたプロジェクトのものです。"
    ),
    "Create a new key on the provider's site and enter it with Edit account.": (
        "プロバイダーのサイトで新しいキーを作成し、アカウントの編集で入力してください。"
    ),
    "Data is old": "データが古くなっています",
    "No fresh reading for three poll intervals: the numbers shown may no longer be true.": (
        "ポーリング間隔3回分、新しい読み取りがありません。表示している数値は現在と異なる可能性があります。"
    ),
    "Check the error shown for the account (network, keyring, provider); Refresh now retries at once.": (
        "アカウントに表示されているエラー（ネットワーク、キーリング、プロバイダー）を確認してください。「今すぐ更新」で"
        "すぐに再試行します。"
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
    "The {key} has a character no key has at position {position} of {length}: {character}. Such characters come "
    "along when a key is copied from a web page or a document; enter the key again.": (
        "{key}の {length} 文字中 {position} 文字目に、キーには含まれない文字があります: {character}。"
        "Web ページや文書からコピーするとこのような文字が混ざります。キーを入力し直してください。"
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
    "{provider} reported an error": "{provider} がエラーを報告しました",
    "{endpoint} answered code {code}{quote}.": "{endpoint} がコード {code} を返しました{quote}。",
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
    # storage: a write that failed, a value that was wrong, a file of a newer version
    "the disk is full": "ディスクがいっぱいです",
    "Could not save": "保存できませんでした",
    "{file} could not be written ({reason}); it was left as it was. Free some space and try again.": (
        "{file} に書き込めませんでした（{reason}）。ファイルは元のままです。空き容量を確保してからやり直してください。"
    ),
    "{file} could not be written ({reason}); it was left as it was.": (
        "{file} に書き込めませんでした（{reason}）。ファイルは元のままです。"
    ),
    "{file} is locked by another Credit Tray process; try again.": (
        "{file} は別の Credit Tray のプロセスがロックしています。もう一度お試しください。"
    ),
    "The settings file {file} cannot be read ({error}); it is left as it is and changes cannot be saved until it "
    "can be read.": (
        "設定ファイル {file} を読み込めません（{error}）。ファイルはそのままにし、読み込めるようになるまで変更は"
        "保存できません。"
    ),
    "{file} cannot be read ({error}); nothing was changed.": (
        "{file} を読み込めません（{error}）。何も変更していません。"
    ),
    "Settings from a newer version": "新しいバージョンの設定",
    "{file} was written by a newer version of Credit Tray (version {version}); it is kept unchanged and nothing can "
    "be changed until you update.": (
        "{file} は新しいバージョンの Credit Tray（バージョン {version}）が書いたものです。ファイルは変更せずに保持し、"
        "アップデートするまで変更できません。"
    ),
    "{file} was written by a newer version of Credit Tray (version {version}): what this version understands of it "
    "is used, and the file is kept unchanged.": (
        "{file} は新しいバージョンの Credit Tray（バージョン {version}）が書いたものです。このバージョンで読める部分を"
        "使い、ファイルは変更せずに保持します。"
    ),
    "{file}: {field} is not valid ({problem}); {instead} is used instead. The file was kept.": (
        "{file}: {field} の値が正しくありません（{problem}）。代わりに {instead} を使います。ファイルは保持しました。"
    ),
    "{file}: {field} is not valid ({problem}); it was left out and will be learned again.": (
        "{file}: {field} の値が正しくありません（{problem}）。この項目は使わず、あらためて取得します。"
    ),
    "A grant's amount can be at most {limit}.": "付与の金額は最大 {limit} です。",
    "A grant's amount has at most {n} decimals.": "付与の金額の小数点以下は {n} 桁までです。",
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
    "Enter the key again": "キーを入力し直してください",
    "The base URL now points at {new} instead of {old}: enter the key again for {new} ({kinds}). A stored key is "
    "sent only to the host it was entered for.": (
        "ベースURLが {old} ではなく {new} を指すようになりました。{new} 用のキーを入力し直してください（{kinds}）。"
        "保存されたキーは、入力したときのホストにだけ送られます。"
    ),
    "Folder unusable": "フォルダーを使用できません",
    "{path} cannot be used as a folder ({reason}). Point --config-dir or TRAYAPP_CONFIG_DIR at a folder, or leave "
    "them unset.": (
        "{path} はフォルダーとして使用できません（{reason}）。--config-dir または TRAYAPP_CONFIG_DIR に"
        "フォルダーを指定するか、指定を外してください。"
    ),
    # ------------------------------------------------------------ Windows, first run
    "Credit Tray is running": "Credit Tray を実行中です",
    "Windows may hide its icon under the ^ arrow next to the clock. To keep it in view, drag it onto the taskbar, "
    "or turn it on in Settings › Personalization › Taskbar › Other system tray icons.": (
        "Windows ではアイコンが時計の横の ^ の中に隠れることがあります。常に表示するには、アイコンをタスク バーに"
        "ドラッグするか、設定 › 個人用設定 › タスク バー › その他のシステム トレイ アイコン でオンにしてください。"
    ),
    "a request to another address than the account's base URL": "アカウントのベースURL以外のアドレスへのリクエスト",
    "Proxy not usable": "プロキシを使用できません",
    "The environment names a SOCKS proxy ({proxy}), and SOCKS proxies need the optional package socksio (pip "
    "install 'httpx2[socks]'). Install it, or use an http proxy, or unset ALL_PROXY / HTTPS_PROXY for Credit Tray.": (
        "環境変数で SOCKS プロキシ（{proxy}）が指定されていますが、SOCKS プロキシにはオプションのパッケージ socksio "
        "が必要です（pip install 'httpx2[socks]'）。インストールするか、http プロキシを使うか、Credit Tray では "
        "ALL_PROXY / HTTPS_PROXY を外してください。"
    ),
    "The environment names a proxy ({proxy}) of a kind that cannot be used: http, https, socks5 and socks5h proxies "
    "can. Fix or unset ALL_PROXY / HTTPS_PROXY for Credit Tray.": (
        "環境変数で使用できない種類のプロキシ（{proxy}）が指定されています。使えるのは http、https、socks5、socks5h "
        "のプロキシです。Credit Tray では ALL_PROXY / HTTPS_PROXY を直すか外してください。"
    ),
    "plain http to {address}, which is not this machine ({host} led there)": (
        "このマシンではない {address} への暗号化されていない http（{host} がそこにつながりました）"
    ),
    "Plain http cannot be checked to stay on this machine with this version of httpx2; use https.": (
        "このバージョンの httpx2 では、暗号化されていない http がこのマシン内にとどまるか確認できません。"
        "https を使ってください。"
    ),
    "{endpoint}: not sent, because it would be {refused}.": "{endpoint}: {refused}になるため、送信していません。",
    "is not a Unix time in seconds": "が Unix 時刻（秒）ではありません",
}
