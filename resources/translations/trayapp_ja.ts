<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Edit account</source>
        <translation>アカウントを編集</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>アカウントを追加</translation>
    </message>
    <message>
        <source>from the host (e.g. USD, CNY)</source>
        <translation>ホストから判定（例: USD、CNY）</translation>
    </message>
    <message>
        <source>Detect when credit runs out with a 1-token request at most hourly (costs a tiny fraction of a cent per request, off by default)</source>
        <translation>1トークンのリクエストを最大1時間に1回送り、クレジット切れを検出する（1回あたりの費用はごくわずか。既定ではオフ）</translation>
    </message>
    <message>
        <source>Checking the key with the provider…</source>
        <translation>プロバイダーでキーを確認しています…</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>表示名</translation>
    </message>
    <message>
        <source>Base URL (optional)</source>
        <translation>ベースURL（任意）</translation>
    </message>
    <message>
        <source>Currency (optional)</source>
        <translation>通貨（任意）</translation>
    </message>
    <message>
        <source>required: the relay&apos;s API root, e.g. https://relay.example.com/v1</source>
        <translation>必須: リレーのAPIルート（例: https://relay.example.com/v1）</translation>
    </message>
    <message>
        <source>stored in the OS keyring; type to replace</source>
        <translation>OSのキーリングに保存済み。入力すると置き換えます</translation>
    </message>
    <message>
        <source>Reads: {what}.</source>
        <translation>取得する情報: {what}。</translation>
    </message>
    <message>
        <source>Cannot be known: {what}.</source>
        <translation>取得できない情報: {what}。</translation>
    </message>
    <message>
        <source>Keys are stored only in the OS keyring.</source>
        <translation>キーはOSのキーリングにのみ保存されます。</translation>
    </message>
    <message>
        <source>Base URL needed</source>
        <translation>ベースURLが必要です</translation>
    </message>
    <message>
        <source>{provider} has no default address: enter one.</source>
        <translation>{provider} には既定のアドレスがありません。入力してください。</translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation>無効なキー</translation>
    </message>
    <message>
        <source>The {key} must start with {prefix}: is it the right key?</source>
        <translation>{key}は {prefix} で始まるはずです。正しいキーか確認してください。</translation>
    </message>
    <message>
        <source>Key needed</source>
        <translation>キーが必要です</translation>
    </message>
    <message>
        <source>Enter the {key}.</source>
        <translation>{key}を入力してください。</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>No system tray was found: this window stands in for it.</source>
        <translation>システムトレイが見つかりません。代わりにこのウィンドウを表示しています。</translation>
    </message>
    <message>
        <source>Start at login could not be changed: {error}</source>
        <translation>ログイン時の起動を変更できませんでした: {error}</translation>
    </message>
    <message>
        <source>{title}: {message} Nothing was saved.</source>
        <translation>{title}: {message} 何も保存されていません。</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>アカウントを削除</translation>
    </message>
    <message>
        <source>Remove {account} and delete its keys from the OS keyring?</source>
        <translation>{account} を削除し、そのキーをOSのキーリングから消去しますか？</translation>
    </message>
    <message>
        <source>{title}: {message} The account was kept.</source>
        <translation>{title}: {message} アカウントは削除されていません。</translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>The remaining credit of this account is not known with the keys given: nothing to draw.</source>
        <translation>登録されたキーではこのアカウントのクレジット残高が分からないため、グラフはありません。</translation>
    </message>
    <message>
        <source>No history yet: readings are drawn here as they are recorded.</source>
        <translation>履歴はまだありません。記録されるとここに表示されます。</translation>
    </message>
    <message>
        <source>Select an account to see its history.</source>
        <translation>アカウントを選ぶと履歴が表示されます。</translation>
    </message>
    <message>
        <source>expires {date}</source>
        <translation>{date} 失効</translation>
    </message>
</context>
<context>
    <name>DetailsWindow</name>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>残高</translation>
    </message>
    <message>
        <source>Granted / paid</source>
        <translation>付与 / 有料</translation>
    </message>
    <message>
        <source>Expires in</source>
        <translation>有効期限まで</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>アラート</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>アカウントを追加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>編集…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Refresh now</source>
        <translation>今すぐ更新</translation>
    </message>
    <message>
        <source>Confirm new owner</source>
        <translation>新しい所有者を確認</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSVを書き出す…</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>履歴を書き出す</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSVファイル (*.csv)</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days}日</translation>
    </message>
    <message>
        <source>&lt;p&gt;No accounts yet. Choose &lt;b&gt;Add account…&lt;/b&gt; to add one.&lt;/p&gt;</source>
        <translation>&lt;p&gt;アカウントはまだありません。&lt;b&gt;アカウントを追加…&lt;/b&gt; から追加してください。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Trend (30 d)</source>
        <translation>推移（30日）</translation>
    </message>
</context>
<context>
    <name>Explanation</name>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>残高</translation>
    </message>
    <message>
        <source>Why unknown</source>
        <translation>不明な理由</translation>
    </message>
    <message>
        <source>Of which granted (trial / bonus)</source>
        <translation>うち付与分（トライアル / ボーナス）</translation>
    </message>
    <message>
        <source>Of which paid</source>
        <translation>うち有料分</translation>
    </message>
    <message>
        <source>Granted in total</source>
        <translation>付与額の合計</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>使用済み</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>{date} ({days} days)</source>
        <translation>{date}（あと{days}日）</translation>
    </message>
    <message>
        <source>Key belongs to</source>
        <translation>キーの所有者</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>備考</translation>
    </message>
    <message>
        <source>{status} (old data)</source>
        <translation>{status}（古いデータ）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>{provider} billing page</source>
        <translation>{provider} の請求ページ</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>7 days</source>
        <translation>7日</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30日</translation>
    </message>
    <message>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Remaining credit</source>
        <translation>クレジット残高</translation>
    </message>
    <message>
        <source>Remaining credit over the last 30 days</source>
        <translation>過去30日間のクレジット残高</translation>
    </message>
    <message>
        <source>Remaining credit — {account} (everything recorded)</source>
        <translation>クレジット残高 — {account}（記録したすべて）</translation>
    </message>
    <message>
        <source>Remaining credit — {account} (last 7 days)</source>
        <translation>クレジット残高 — {account}（過去7日間）</translation>
    </message>
    <message>
        <source>Remaining credit — {account} (last 30 days)</source>
        <translation>クレジット残高 — {account}（過去30日間）</translation>
    </message>
    <message>
        <source>No forecast yet: it needs a few readings.</source>
        <translation>予測はまだありません。何回か記録されると表示されます。</translation>
    </message>
    <message>
        <source>No forecast: {reason}.</source>
        <translation>予測なし: {reason}。</translation>
    </message>
    <message>
        <source>Spending about {rate} a day (over the last {days} days, top-ups left out).</source>
        <translation>1日あたり約 {rate} を使用しています（過去{days}日間、チャージを除く）。</translation>
    </message>
    <message>
        <source>Spending about {rate} a day (over {hours} h, top-ups left out).</source>
        <translation>1日あたり約 {rate} を使用しています（{hours}時間分、チャージを除く）。</translation>
    </message>
    <message>
        <source>At that rate the credit runs out around {date}.</source>
        <translation>このペースでは {date} 頃にクレジットがなくなります。</translation>
    </message>
    <message>
        <source>{reason}.</source>
        <translation>{reason}。</translation>
    </message>
    <message>
        <source>{amount} will be left when it expires on {date}.</source>
        <translation>{date} の失効時に {amount} が残ります。</translation>
    </message>
    <message>
        <source>The forecast firms up as more readings come in.</source>
        <translation>記録が増えるほど予測は正確になります。</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>{n} accounts need attention</source>
        <translation>{n}件のアカウントに確認が必要です</translation>
    </message>
    <message>
        <source>…and {n} more</source>
        <translation>…ほか{n}件</translation>
    </message>
    <message>
        <source>Open details</source>
        <translation>詳細を開く</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>Show notifications</source>
        <translation>通知を表示する</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>ログイン時に起動する</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <source>The windows and menus switch language at the next start; alert messages switch at once.</source>
        <translation>ウィンドウとメニューの言語は次回の起動時に切り替わります。アラートのメッセージはすぐに切り替わります。</translation>
    </message>
    <message>
        <source>Poll every</source>
        <translation>確認の間隔</translation>
    </message>
    <message>
        <source>Warn when credit is at or below</source>
        <translation>残高がこの額以下になったら警告</translation>
    </message>
    <message>
        <source>Warn this long before credit expires</source>
        <translation>有効期限のこの日数前に警告</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Notify about</source>
        <translation>通知する内容</translation>
    </message>
    <message>
        <source>Settings never contain a key; keys live only in the OS keyring.</source>
        <translation>設定にキーは含まれません。キーはOSのキーリングにのみ保存されます。</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>古いデータ</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>expires today</source>
        <translation>本日失効</translation>
    </message>
    <message>
        <source>{days} d left</source>
        <translation>残り{days}日</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>古いデータ</translation>
    </message>
    <message>
        <source>Snooze notifications</source>
        <translation>通知を一時停止</translation>
    </message>
    <message>
        <source>For 1 hour</source>
        <translation>1時間</translation>
    </message>
    <message>
        <source>For 8 hours</source>
        <translation>8時間</translation>
    </message>
    <message>
        <source>Until tomorrow, 8:00</source>
        <translation>明日の8:00まで</translation>
    </message>
    <message>
        <source>No accounts yet: choose Add account…</source>
        <translation>アカウントはまだありません。「アカウントを追加…」から追加してください</translation>
    </message>
    <message>
        <source>No accounts yet</source>
        <translation>アカウントはまだありません</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>更新中…</translation>
    </message>
    <message>
        <source>Refresh now</source>
        <translation>今すぐ更新</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>詳細…</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>アカウントを追加…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <source>Notifications snoozed until {until}: resume</source>
        <translation>通知は {until} まで停止中: 再開する</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
</context>
</TS>
