"""Add/edit-account and settings dialogs. They collect and check input; the controller does the work
(test poll, keyring, saving) off the UI thread and reports back with `show_error` or `accept`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.alerts import ALERTS
from ..core.errors import ConfigError
from ..core.models import MIN_POLL_MINUTES, Account, FetchResult, Grant, Settings
from ..core.validation import parse_currency, validate_base_url
from ..providers import catalog
from ..providers.base import ProviderInfo
from ..secrets.keys import odd_character_message
from ..secrets.secret import Secret
from .grants import GrantsEditor
from .i18n import local, shown


@dataclass
class AccountDraft:
    """What the dialog collected. Keys stay wrapped; an empty key on edit means "keep the stored one"."""

    provider: str
    label: str
    base_url: str | None
    currency: str | None
    secrets: dict[str, Secret] = field(default_factory=dict)
    account_id: str | None = None  # set when editing
    options: dict[str, object] = field(default_factory=dict)
    grants: tuple[Grant, ...] | None = None  # None: the account's grants are kept


def _capabilities(info: ProviderInfo) -> str:
    """What the provider can and cannot show with the keys it takes, said before a key is pasted."""
    notes = (
        [QCoreApplication.translate("AccountDialog", "Reads: {what}.").format(what=shown(info.reads))]
        if info.reads
        else []
    )
    if info.not_knowable:
        notes.append(
            QCoreApplication.translate("AccountDialog", "Cannot be known: {what}.").format(
                what=shown(info.not_knowable)
            )
        )
    return " ".join(notes)


def _grants_help(info: ProviderInfo) -> str:
    """Where the provider lists the grants the user copies in (rich text: its links)."""
    general = QCoreApplication.translate(
        "AccountDialog",
        "Credit with an expiry the provider does not report: enter it here and its expiry counts down in the tray.",
    )
    parts = [html.escape(shown(info.grants_help) if info.grants_help else general)]
    parts += [f"<a href='{html.escape(url)}'>{html.escape(shown(text))}</a>" for text, url in info.grants_links]
    return " ".join(parts)


def confirm_remove(parent: QWidget | None, label: str) -> bool:
    """Ask before an account and its keys are removed: "Remove" / "Cancel", Cancel the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("AccountDialog", "Remove account"))
    box.setText(QCoreApplication.translate("AccountDialog", "Remove {account}?").format(account=label))
    box.setInformativeText(QCoreApplication.translate("AccountDialog", "Its keys are deleted from the OS keyring."))
    remove = box.addButton(
        QCoreApplication.translate("AccountDialog", "Remove"), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is remove


class AccountDialog(QDialog):
    submitted = Signal(object)  # AccountDraft; the controller answers with accept() or show_error()

    def __init__(self, parent: QWidget | None = None, account: Account | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self.pending: tuple[Account, FetchResult] | None = None  # tested account and its first reading
        self.setWindowTitle(self.tr("Edit account") if account else self.tr("Add account"))
        self.setMinimumWidth(480)

        self.provider = QComboBox()
        # No provider is chosen for the user: each can show different things, said before a key is pasted.
        self.provider.addItem(self.tr("Choose a provider…"), None)
        for name, info in catalog.CATALOG.items():
            if not info.sample:
                self.provider.addItem(info.display_name, name)
                self.provider.setItemData(self.provider.count() - 1, _capabilities(info), Qt.ItemDataRole.ToolTipRole)
        self.provider.setAccessibleName(self.tr("Provider"))
        self.capability = QLabel()
        self.capability.setWordWrap(True)
        self.capability.setTextFormat(Qt.TextFormat.PlainText)
        self.label = QLineEdit()
        self.base_url = QLineEdit()
        self.currency = QLineEdit()
        self.currency.setPlaceholderText(self.tr("from the host (e.g. USD, CNY)"))
        self.currency.setMaxLength(3)
        self.key_fields: dict[str, QLineEdit] = {}
        self.key_labels: dict[str, QLabel] = {}
        self.probe = QCheckBox(
            self.tr(
                "Detect when credit runs out with a 1-token request at most hourly "
                "(costs a tiny fraction of a cent per request, off by default)"
            )
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#b3261e")
        self.error.setVisible(False)
        self.busy = QLabel(self.tr("Checking the key with the provider…"))
        self.busy.setVisible(False)

        self.form = QFormLayout()
        self.form.addRow(self.tr("Provider"), self.provider)
        self.form.addRow("", self.capability)
        self.form.addRow(self.tr("Label"), self.label)
        self.form.addRow(self.tr("Base URL (optional)"), self.base_url)
        self.form.addRow(self.tr("Currency (optional)"), self.currency)
        # One field per kind of key any provider declares; a provider's own kinds are shown when it is chosen.
        kinds = dict.fromkeys(s.kind for info in catalog.CATALOG.values() if not info.sample for s in info.secrets)
        for kind in kinds:
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
            label = QLabel()
            self.key_fields[kind] = edit
            self.key_labels[kind] = label
            self.form.addRow(label, edit)

        self.grants = GrantsEditor(account.grants if account else ())
        self.grants_label = QLabel(self.tr("Credit grants"))
        self.form.addRow(self.grants_label, self.grants)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.probe)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        self.provider.currentIndexChanged.connect(self._provider_changed)
        if account is not None:
            index = self.provider.findData(account.provider)
            self.provider.setCurrentIndex(max(0, index))
            self.provider.setEnabled(False)
            self.label.setText(account.label)
            self.base_url.setText(account.base_url or "")
            self.currency.setText(account.currency or "")
            self.probe.setChecked(account.options.get("probe") is True)
        self._provider_changed()

    def provider_name(self) -> str | None:
        data = self.provider.currentData()
        return None if data is None else str(data)

    def _provider_changed(self) -> None:
        name = self.provider_name()
        chosen = name is not None
        for widget in (self.label, self.base_url, self.currency):
            widget.setEnabled(chosen)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(chosen)
        if name is None:
            self.capability.setText(self.tr("Each provider shows different things: choose one to see what."))
            for kind, edit in self.key_fields.items():
                edit.setVisible(False)
                self.key_labels[kind].setVisible(False)
            self.probe.setVisible(False)
            self.grants.setVisible(False)
            self.grants_label.setVisible(False)
            self.hint.setText(self.tr("Keys are stored only in the OS keyring."))
            return
        info = catalog.info(name)
        self.capability.setText(_capabilities(info))
        self.base_url.setPlaceholderText(
            info.default_base_url or self.tr("required: the relay's API root, e.g. https://relay.example.com/v1")
        )
        specs = {s.kind: s for s in info.secrets}
        for kind, edit in self.key_fields.items():
            spec = specs.get(kind)
            visible = spec is not None
            edit.setVisible(visible)
            self.key_labels[kind].setVisible(visible)
            if spec is not None:
                self.key_labels[kind].setText(shown(spec.label))
                stored = self.account is not None and kind in self.account.secret_kinds
                edit.setPlaceholderText(
                    self.tr("stored in the OS keyring; type to replace") if stored else shown(spec.hint)
                )
        self.probe.setVisible("probe" in info.options)
        self.grants.setVisible(True)
        self.grants_label.setVisible(True)
        self.grants.set_default_currency(info.currency_for(self.base_url.text().strip() or None))
        self.grants.set_help(_grants_help(info))
        self.hint.setText(self.tr("Keys are stored only in the OS keyring."))

    def draft(self) -> AccountDraft:
        """The input, checked; raises ConfigError with a message for the user."""
        provider = self.provider_name()
        if provider is None:
            raise ConfigError(self.tr("Provider needed"), self.tr("Choose the provider of this account."))
        info = catalog.info(provider)
        base_url = validate_base_url(self.base_url.text()) if self.base_url.text().strip() else None
        if base_url is None and info.default_base_url is None:
            raise ConfigError(
                self.tr("Base URL needed"),
                self.tr("{provider} has no default address: enter one.").format(provider=info.display_name),
            )
        currency = parse_currency(self.currency.text()) if self.currency.text().strip() else None
        secrets: dict[str, Secret] = {}
        for spec in info.secrets:
            value = self.key_fields[spec.kind].text().strip()
            if value:
                problem = odd_character_message(value, shown(spec.label).lower())
                if problem is not None:  # a space or an invisible character: where, never the key
                    raise ConfigError(self.tr("Invalid key"), problem)
                if spec.prefix and not value.startswith(spec.prefix):
                    raise ConfigError(
                        self.tr("Invalid key"),
                        self.tr("The {key} must start with {prefix}: is it the right key?").format(
                            key=shown(spec.label).lower(), prefix=spec.prefix
                        ),
                    )
                secrets[spec.kind] = Secret(value)
                for prefix, caution in spec.cautions:
                    if value.startswith(prefix):
                        self.hint.setText(shown(caution))
            elif spec.required and (self.account is None or spec.kind not in self.account.secret_kinds):
                raise ConfigError(
                    self.tr("Key needed"), self.tr("Enter the {key}.").format(key=shown(spec.label).lower())
                )
        self._check_key_host(base_url, secrets)
        options = dict(self.account.options) if self.account else {}
        if "probe" in info.options:
            options["probe"] = self.probe.isChecked()
        return AccountDraft(
            provider,
            self.label.text().strip() or info.display_name,
            base_url,
            currency,
            secrets,
            self.account.id if self.account else None,
            options,
            self.grants.grants(),
        )

    def _check_key_host(self, base_url: str | None, secrets: dict[str, Secret]) -> None:
        """Editing: a base URL on another host (scheme, host or port) with a key field left empty is refused,
        naming the new host; the stored key was entered for the old one and is never tested or saved there."""
        if self.account is not None:
            from ..service import refuse_stored_keys_elsewhere

            refuse_stored_keys_elsewhere(self.account, base_url, tuple(secrets))

    def _submit(self) -> None:
        try:
            draft = self.draft()
        except ConfigError as exc:
            self.show_error(f"{local(exc.title)}: {local(exc.message)}")
            return
        self.error.setVisible(False)
        self.set_busy(True)
        self.submitted.emit(draft)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(True)

    def clear_keys(self) -> None:
        for edit in self.key_fields.values():
            edit.clear()


class SettingsDialog(QDialog):
    """`currencies`: those of the user's accounts; each gets its own low-credit threshold (5 USD and 5 CNY are
    not the same warning)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None, currencies: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.interval = QSpinBox()
        self.interval.setRange(MIN_POLL_MINUTES, 24 * 60)
        self.interval.setSuffix(self.tr(" min"))
        self.interval.setValue(settings.poll_interval_minutes)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0, 1_000_000)
        self.threshold.setDecimals(2)
        self.threshold.setValue(float(settings.low_credit_threshold))
        self.thresholds: dict[str, QDoubleSpinBox] = {}
        for currency in sorted({*currencies, *settings.low_credit_thresholds}):
            spin = QDoubleSpinBox()
            spin.setRange(0, 1_000_000)
            spin.setDecimals(2)
            spin.setSuffix(f" {currency}")
            spin.setValue(float(settings.threshold_for(currency)))
            spin.setAccessibleName(self.tr("Warn when {currency} credit is at or below").format(currency=currency))
            self.thresholds[currency] = spin
        self.expiry_days = QSpinBox()
        self.expiry_days.setRange(0, 365)
        self.expiry_days.setSuffix(self.tr(" days"))
        self.expiry_days.setValue(settings.expiry_warning_days)
        self.icon_style = QComboBox()
        self.icon_style.addItem(self.tr("A bar of what is left"), "bar")
        self.icon_style.addItem(self.tr("The amount as a number"), "number")
        self.icon_style.setCurrentIndex(max(0, self.icon_style.findData(settings.icon_style)))
        self.notifications = QCheckBox(self.tr("Show notifications"))
        self.notifications.setChecked(settings.notifications)
        self.start_at_login = QCheckBox(self.tr("Start at login"))
        self.start_at_login.setChecked(settings.start_at_login)
        self.language = QComboBox()
        for code, name in ((None, self.tr("System language")), ("en", "English"), ("ja", "日本語")):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language_note = QLabel(
            self.tr("The windows and menus switch language at the next start; alert messages switch at once.")
        )
        self.language_note.setWordWrap(True)
        self.language_note.setVisible(False)
        initial_language = self.language.currentIndex()
        self.language.currentIndexChanged.connect(
            lambda index: self.language_note.setVisible(index != initial_language)
        )
        self.alert_kinds: dict[str, QCheckBox] = {}
        for code, kind in ALERTS.items():
            box = QCheckBox(shown(kind.label))
            box.setChecked(code not in settings.disabled_alerts)
            self.alert_kinds[code.value] = box
        self._settings = settings

        form = QFormLayout()
        form.addRow(self.tr("Poll every"), self.interval)
        if self.thresholds:
            for currency, spin in self.thresholds.items():
                form.addRow(self.tr("Warn when {currency} credit is at or below").format(currency=currency), spin)
            form.addRow(self.tr("Other currencies: warn at or below"), self.threshold)
        else:
            form.addRow(self.tr("Warn when credit is at or below"), self.threshold)
        form.addRow(self.tr("Warn this long before credit expires"), self.expiry_days)
        form.addRow(self.tr("The tray icon shows"), self.icon_style)
        form.addRow("", self.notifications)
        form.addRow("", self.start_at_login)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.language_note)
        kinds = QVBoxLayout()
        for box in self.alert_kinds.values():
            kinds.addWidget(box)
        form.addRow(self.tr("Notify about"), kinds)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel(self.tr("Settings never contain a key; keys live only in the OS keyring."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        from dataclasses import replace

        default = Decimal(str(round(self.threshold.value(), 2)))
        own = {code: Decimal(str(round(box.value(), 2))) for code, box in self.thresholds.items()}
        return replace(
            self._settings,
            poll_interval_minutes=max(MIN_POLL_MINUTES, self.interval.value()),
            low_credit_threshold=default,
            # Only the currencies whose value differs from the default are kept: the rest follow it.
            low_credit_thresholds={code: value for code, value in own.items() if value != default},
            expiry_warning_days=self.expiry_days.value(),
            icon_style=str(self.icon_style.currentData()),
            notifications=self.notifications.isChecked(),
            start_at_login=self.start_at_login.isChecked(),
            language=self.language.currentData(),
            disabled_alerts=frozenset(code for code, box in self.alert_kinds.items() if not box.isChecked()),
        )
