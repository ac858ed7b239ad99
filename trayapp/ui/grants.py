"""The credit grants of an account, edited in the Edit/Add account dialog: what `trayapp accounts grant` enters
from the command line (amount, currency, kind, effective date, expiry), one row per grant."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import ConfigError
from ..core.models import Grant
from ..core.validation import parse_amount, parse_currency
from .i18n import local

NO_DATE = QDate(2000, 1, 1)  # the minimum of the "effective" field, shown as "—": no effective date
KINDS = ("granted", "paid")
COLUMNS = 5


def _qdate(value: date | None) -> QDate:
    return NO_DATE if value is None else QDate(value.year, value.month, value.day)


def _date(value: QDate) -> date | None:
    return None if value == NO_DATE else date(value.year(), value.month(), value.day())


class GrantsEditor(QWidget):
    """A table of grants with Add and Remove. `grants()` checks every row and raises ConfigError naming it."""

    def __init__(self, grants: tuple[Grant, ...] = (), currency: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._currency = currency or "USD"
        self._originals: list[Grant | None] = []  # each row's grant as loaded (its other fields are kept)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setOpenExternalLinks(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setVisible(False)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Amount"), self.tr("Currency"), self.tr("Kind"), self.tr("Effective"), self.tr("Expires")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab moves between the row's fields and out of the table
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Credit grants"))
        self.add_button = QPushButton(self.tr("Add grant"))
        self.remove_button = QPushButton(self.tr("Remove grant"))
        self.add_button.clicked.connect(lambda: self.add_row(None))
        self.remove_button.clicked.connect(self.remove_selected)
        self.empty = QLabel(self.tr("No grants entered."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.help)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        for grant in grants:
            self.add_row(grant)
        self._sync()

    def set_help(self, html_text: str) -> None:
        self.help.setText(html_text)
        self.help.setVisible(bool(html_text))

    def set_default_currency(self, currency: str | None) -> None:
        self._currency = currency or self._currency

    # ------------------------------------------------------------ rows

    def add_row(self, grant: Grant | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        amount = QLineEdit("" if grant is None else f"{grant.amount:f}")
        amount.setPlaceholderText("18.00")
        amount.setAccessibleName(self.tr("Amount"))
        currency = QLineEdit(grant.currency if grant else self._currency)
        currency.setMaxLength(3)
        currency.setAccessibleName(self.tr("Currency"))
        kind = QComboBox()
        kind.addItem(self.tr("Granted (trial, promotion)"), "granted")
        kind.addItem(self.tr("Paid (prepaid)"), "paid")
        kind.setCurrentIndex(max(0, kind.findData(grant.kind if grant else "granted")))
        kind.setAccessibleName(self.tr("Kind"))
        effective = QDateEdit(_qdate(grant.effective if grant else None))
        effective.setMinimumDate(NO_DATE)
        effective.setSpecialValueText("—")  # shown at the minimum: no effective date
        effective.setDisplayFormat("yyyy-MM-dd")
        effective.setCalendarPopup(True)
        effective.setAccessibleName(self.tr("Effective"))
        expires = QDateEdit(_qdate(grant.expires) if grant and grant.expires else QDate.currentDate().addYears(1))
        expires.setMinimumDate(NO_DATE.addDays(1))
        expires.setDisplayFormat("yyyy-MM-dd")
        expires.setCalendarPopup(True)
        expires.setAccessibleName(self.tr("Expires"))
        for col, widget in enumerate((amount, currency, kind, effective, expires)):
            self.table.setCellWidget(row, col, widget)
        self._originals.append(grant)
        self._sync()
        if grant is None:
            amount.setFocus()
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.table.rowCount():
            focused = self.focusWidget()
            rows = [r for r in range(self.table.rowCount()) if self._row_has(r, focused)]
        for row in rows:
            self.table.removeRow(row)
            del self._originals[row]
        self._sync()

    def _row_has(self, row: int, widget: QWidget | None) -> bool:
        return widget is not None and any(self.table.cellWidget(row, c) is widget for c in range(COLUMNS))

    def _sync(self) -> None:
        count = self.table.rowCount()
        self.empty.setVisible(count == 0)
        self.table.setVisible(count > 0)
        self.remove_button.setEnabled(count > 0)
        header = self.table.horizontalHeader().height() if count else 0
        rows = sum(self.table.rowHeight(r) for r in range(count))
        self.table.setFixedHeight(header + rows + 2 * self.table.frameWidth() + 2)

    # ------------------------------------------------------------ the result

    def grants(self) -> tuple[Grant, ...]:
        out: list[Grant] = []
        for row in range(self.table.rowCount()):
            try:
                out.append(self._grant(row))
            except ConfigError as exc:
                raise ConfigError(
                    exc.title, self.tr("Grant {row}: {problem}").format(row=row + 1, problem=local(exc.message))
                ) from None
        return tuple(out)

    def _grant(self, row: int) -> Grant:
        def cell(col: int) -> QWidget:
            widget = self.table.cellWidget(row, col)
            assert widget is not None
            return widget

        amount_edit, currency_edit, kind_box, effective_edit, expires_edit = (cell(c) for c in range(COLUMNS))
        assert isinstance(amount_edit, QLineEdit) and isinstance(currency_edit, QLineEdit)
        assert isinstance(kind_box, QComboBox)
        assert isinstance(effective_edit, QDateEdit) and isinstance(expires_edit, QDateEdit)
        amount = parse_amount(amount_edit.text())
        currency = parse_currency(currency_edit.text())
        effective = _date(effective_edit.date())
        expires = _date(expires_edit.date())
        if expires is not None and effective is not None and expires <= effective:
            raise ConfigError(self.tr("Invalid dates"), self.tr("The expiry date must come after the effective date."))
        kind = str(kind_box.currentData())
        original = self._originals[row]
        if original is None:
            return Grant(amount=amount, currency=currency, effective=effective, expires=expires, kind=kind)
        return replace(original, amount=amount, currency=currency, effective=effective, expires=expires, kind=kind)
