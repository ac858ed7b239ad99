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
        <source>Credit with an expiry the provider does not report: enter it here and its expiry counts down in the tray.</source>
        <translation>プロバイダーが有効期限を報告しないクレジットをここに入力すると、その期限までの日数がトレイに表示されます。</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>アカウントの削除</translation>
    </message>
    <message>
        <source>Remove {account}?</source>
        <translation>{account} を削除しますか？</translation>
    </message>
    <message>
        <source>Its keys are deleted from the OS keyring.</source>
        <translation>そのキーは OS のキーリングから削除されます。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Choose a provider…</source>
        <translation>プロバイダーを選択…</translation>
    </message>
    <message>
        <source>Credit grants</source>
        <translation>クレジット付与</translation>
    </message>
    <message>
        <source>Each provider shows different things: choose one to see what.</source>
        <translation>表示できる内容はプロバイダーごとに異なります。選ぶと何が分かるかが表示されます。</translation>
    </message>
    <message>
        <source>Keys are stored only in the OS keyring.</source>
        <translation>キーはOSのキーリングにのみ保存されます。</translation>
    </message>
    <message>
        <source>Provider needed</source>
        <translation>プロバイダーが必要です</translation>
    </message>
    <message>
        <source>Choose the provider of this account.</source>
        <translation>このアカウントのプロバイダーを選んでください。</translation>
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
        <source>Start at login could not be changed: {error}</source>
        <translation>ログイン時の起動を変更できませんでした: {error}</translation>
    </message>
    <message>
        <source>{title}: {message} Nothing was saved.</source>
        <translation>{title}: {message} 何も保存されていません。</translation>
    </message>
    <message>
        <source>{title}: {message} The account was kept.</source>
        <translation>{title}: {message} アカウントは削除されていません。</translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <source>{percent} % left</source>
        <translation>残り{percent}%</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Press Enter to open its details</source>
        <translation>Enterで詳細を開きます</translation>
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
        <source>What happened and what to do</source>
        <translation>何が起きたか・どうすればよいか</translation>
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
        <source>in {days} d</source>
        <translation>あと {days} 日</translation>
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
    <name>GlancePanel</name>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>No accounts yet: add one…</source>
        <translation>アカウントがまだありません: 追加する…</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>更新中…</translation>
    </message>
</context>
<context>
    <name>GlanceWindow</name>
    <message>
        <source>Credit Tray: accounts</source>
        <translation>Credit Tray: アカウント</translation>
    </message>
</context>
<context>
    <name>GrantsEditor</name>
    <message>
        <source>Amount</source>
        <translation>金額</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>通貨</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>付与日</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>Credit grants</source>
        <translation>クレジット付与</translation>
    </message>
    <message>
        <source>Add grant</source>
        <translation>付与を追加</translation>
    </message>
    <message>
        <source>Remove grant</source>
        <translation>付与を削除</translation>
    </message>
    <message>
        <source>No grants entered.</source>
        <translation>付与はまだ入力されていません。</translation>
    </message>
    <message>
        <source>Granted (trial, promotion)</source>
        <translation>付与（トライアル・プロモーション）</translation>
    </message>
    <message>
        <source>Paid (prepaid)</source>
        <translation>支払い済み（プリペイド）</translation>
    </message>
    <message>
        <source>Grant {row}: {problem}</source>
        <translation>付与 {row}: {problem}</translation>
    </message>
    <message>
        <source>Invalid dates</source>
        <translation>日付が正しくありません</translation>
    </message>
    <message>
        <source>The expiry date must come after the effective date.</source>
        <translation>有効期限は付与日より後にしてください。</translation>
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
        <source>Show accounts</source>
        <translation>アカウントを表示</translation>
    </message>
    <message>
        <source>Open details</source>
        <translation>詳細を開く</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <source>key rejected</source>
        <translation>キーが拒否された</translation>
    </message>
    <message>
        <source>second account</source>
        <translation>2つ目のアカウント</translation>
    </message>
    <message>
        <source>same login as another key</source>
        <translation>別のキーと同じログイン</translation>
    </message>
    <message>
        <source>no trial credit</source>
        <translation>無料クレジットなし</translation>
    </message>
    <message>
        <source>no credit left</source>
        <translation>残高なし</translation>
    </message>
    <message>
        <source>spend limit reached</source>
        <translation>利用上限に到達</translation>
    </message>
    <message>
        <source>low credit</source>
        <translation>残高が少ない</translation>
    </message>
    <message>
        <source>runs out soon</source>
        <translation>まもなく尽きる</translation>
    </message>
    <message>
        <source>will expire unused</source>
        <translation>使い切れずに失効</translation>
    </message>
    <message>
        <source>key owner changed</source>
        <translation>キーの所有者が変わった</translation>
    </message>
    <message>
        <source>MMM d</source>
        <translation>M月d日</translation>
    </message>
    <message>
        <source>runs out around {date}</source>
        <translation>{date}ごろに尽きる</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
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
        <source>Warn when {currency} credit is at or below</source>
        <translation>{currency} のクレジットがこの額以下で警告</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>A bar of what is left</source>
        <translation>残りを示すバー</translation>
    </message>
    <message>
        <source>The amount as a number</source>
        <translation>金額を数字で</translation>
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
        <source>Other currencies: warn at or below</source>
        <translation>その他の通貨: この額以下で警告</translation>
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
        <source>The tray icon shows</source>
        <translation>トレイアイコンの表示</translation>
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
    <name>StandInWindow</name>
    <message>
        <source>No system tray was found: this window stands in for it. Closing it quits.</source>
        <translation>システムトレイが見つかりません。代わりにこのウィンドウを表示しています。閉じるとアプリが終了します。</translation>
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
        <source>Quit</source>
        <translation>終了</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Critical</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Old data</source>
        <translation>古いデータ</translation>
    </message>
    <message>
        <source>Read failed</source>
        <translation>取得失敗</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>expires today</source>
        <translation>本日失効</translation>
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
        <source>…and {n} more accounts: Details…</source>
        <translation>…ほか {n} 件のアカウント：詳細…</translation>
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
        <source>Notifications paused until {until} · Resume</source>
        <translation>{until} まで通知を一時停止中 · 再開</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>詳細…</translation>
    </message>
    <message>
        <source>a pack expires today</source>
        <translation>パックが今日期限切れ</translation>
    </message>
    <message>
        <source>a pack expires in {days} d</source>
        <translation>パックの期限まであと {days} 日</translation>
    </message>
    <message>
        <source>expires in {days} d</source>
        <translation>失効まで{days}日</translation>
    </message>
    <message>
        <source>Not updated yet</source>
        <translation>まだ更新されていません</translation>
    </message>
    <message>
        <source>Updated just now</source>
        <translation>たった今更新</translation>
    </message>
    <message>
        <source>Updated {n} min ago</source>
        <translation>{n}分前に更新</translation>
    </message>
    <message>
        <source>Updated {n} h ago</source>
        <translation>{n}時間前に更新</translation>
    </message>
    <message>
        <source>Updated {n} days ago</source>
        <translation>{n}日前に更新</translation>
    </message>
    <message>
        <source>…and {n} more</source>
        <translation>…ほか {n} 件</translation>
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
        <source>Quit</source>
        <translation>終了</translation>
    </message>
</context>
</TS>
