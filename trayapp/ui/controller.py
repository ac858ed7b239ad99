"""Glue on the GUI thread: scheduler ticks and user actions in; polls out; results into the service, the
tray, the details window and notifications. Handed every collaborator (no service locator). It builds no
account and writes no file: the service's verbs do."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from ..core.errors import ConfigError, SecretStoreError, TrayError
from ..core.models import Account, ErrorKind, FetchResult
from ..core.monitor import AccountView
from ..platform import firstrun
from ..platform.memory import freeze_heap, release_free_memory
from .i18n import local
from .notifier import Message, Notifier, TrayMessageNotifier, compose
from .poller import Poller
from .recorder import HistoryRecorder
from .tray import TrayController

if TYPE_CHECKING:
    from ..scheduling.scheduler import PollScheduler
    from ..service import Service
    from .details import DetailsWindow
    from .dialogs import AccountDialog, AccountDraft, SettingsDialog
    from .glance import GlanceWindow, StandInWindow

log = logging.getLogger(__name__)
_Glance = TypeVar("_Glance", "GlanceWindow", "StandInWindow")
TRAY_WAIT_SECONDS = 120  # at login the panel may come up after us: its icon is shown when it does
STAND_IN_SECONDS = 3  # with no tray by then, a window stands in for it (and goes once a tray comes)
KEYRING_RETRY_SECONDS = (5, 10, 20, 40, 80, 160, 300)  # while the keyring is locked, polls retry by themselves


class Round(Enum):
    """Where the polls stand. A round ends once its polls have finished and their last results are recorded
    and shown: then its alerts are delivered, in one notification."""

    IDLE = "idle"
    POLLING = "polling"  # polls running (`AppController._polls` of them)
    SETTLING = "settling"  # every poll finished; their last burst of results is still being recorded


class AppController(QObject):
    _due = Signal()  # from the scheduler's thread
    _resumed = Signal(float)
    _keys_saved = Signal(object, object)  # (dialog, error message or None)
    _keys_removed = Signal(str, str)  # (account id, error message or "")
    account_removed = Signal(str)
    quit_requested = Signal()
    settled = Signal()  # a poll has ended and everything it changed is shown (forecasts included)

    def __init__(
        self,
        service: Service,
        poller: Poller,
        tray: TrayController,
        details: DetailsWindow | Callable[[], DetailsWindow] | None,
        notifier: Notifier,
        scheduler: PollScheduler | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        freeze_heap_at_rest: bool = False,
    ) -> None:
        """`freeze_heap_at_rest`: the tray's process is this controller's own (not a test's, shared by many):
        after the first round, its heap is frozen (platform.memory.freeze_heap)."""
        super().__init__()
        self.service = service
        self.poller = poller
        self.tray = tray
        # The details window is built when first needed (its memory and a redraw per poll saved while it
        # never opens); an instance may be handed in instead (tests). Windows and dialogs are imported when
        # first used: their widget types would cost memory all day.
        self._details: DetailsWindow | None = None
        self._details_factory: Callable[[], DetailsWindow] = _new_details_window
        if isinstance(details, QWidget):
            self._wire_details(details)
        elif details is not None:
            self._details_factory = details
        self.notifier = notifier
        self.scheduler = scheduler
        self.clock = clock or (lambda: datetime.now(UTC))
        self.delivered: list[Any] = []  # messages shown, newest last (for the user's history and tests)
        self._dialogs: list[Any] = []
        self._round = Round.IDLE
        # Polls started whose `finished` is not handled yet. Counted here, not by `poller.in_flight()`: that
        # empties on the poll's thread before its last results and `finished` have been handled here.
        self._polls = 0
        self._heap_frozen = not freeze_heap_at_rest
        self._views: list[AccountView] | None = None  # the latest views, made once per burst of results
        self.recorder = HistoryRecorder(service, self.clock, self)
        self.recorder.updated.connect(self._on_recorded)
        self._glance: GlanceWindow | None = None  # built when first opened
        self.stand_in: StandInWindow | None = None  # shown where no tray host exists
        self._keyring_note: Message | None = None  # "keyring locked", delivered with the round's alerts
        self._keyring_noted = False  # said once per lock; reset by a good reading
        self._keyring_retries = 0
        self._keyring_timer = QTimer(self)
        self._keyring_timer.setSingleShot(True)
        self._keyring_timer.timeout.connect(self._retry_keyring)

        self._due.connect(self.poll_due)
        self._resumed.connect(self._on_resumed)
        self._keys_saved.connect(self._on_keys_saved)
        self._keys_removed.connect(self._on_keys_removed)
        self._stopped = False
        self._tray_wait: QTimer | None = None  # looks for a tray each second while none is up
        poller.result.connect(self._on_result)
        poller.finished.connect(self._on_finished)
        poller.tested.connect(self._on_tested)
        tray.refresh_requested.connect(self.refresh_now)
        tray.details_requested.connect(self.open_details)
        tray.glance_requested.connect(self.open_glance)
        tray.add_requested.connect(self.add_account)
        tray.settings_requested.connect(self.open_settings)
        tray.snooze_requested.connect(self.snooze)
        tray.quit_requested.connect(self.quit_requested.emit)
        notifier.clicked.connect(self.open_notification)

    @property
    def details(self) -> DetailsWindow:
        if self._details is None:
            window = self._details_factory()
            self._wire_details(window)
            window.lang = self.service.monitor.lang
            window.set_views(self.service.views(self.clock()))
        assert self._details is not None
        return self._details

    def _wire_details(self, details: DetailsWindow) -> None:
        self._details = details
        details.add_requested.connect(self.add_account)
        details.edit_requested.connect(self.edit_account)
        details.remove_requested.connect(self.remove_account)
        details.refresh_requested.connect(self.refresh_now)
        details.acknowledge_identity.connect(self._acknowledge_identity)
        details.set_history(self.service.history)

    # ------------------------------------------------------------ life cycle

    def start(self) -> None:
        self.tray.snoozed_until = self.service.config.settings.snoozed_until
        self.tray.icon_style = self.service.config.settings.icon_style
        self.refresh_views()
        self._show_tray_when_available()
        self._first_run_note()
        if not self.service.config.accounts:
            # A first start: the icon alone would say nothing. The Add dialog opens at once.
            log.info("no accounts yet: opening Add account")
            self.add_account()
        if self.service.problems:
            self.details.set_banner("\n".join(local(p) for p in self.service.problems))
        if self.scheduler is not None:
            self.scheduler.start()
        monitor = self.service.monitor
        self.recorder.forecast([a.id for a in monitor.accounts if a.id not in monitor.forecasts])
        self.watch_config()
        self.poll_due()

    def attach_scheduler(self, scheduler: PollScheduler) -> None:
        """Start a scheduler after `start()` (the tray shows its icon first); armed now unless a poll runs."""
        self.scheduler = scheduler
        scheduler.start()
        if not self.poller.in_flight():
            self._arm()

    def stop(self) -> None:
        if self._stopped:
            return  # once: the tray it disposes of is gone after
        self._stopped = True  # a poll still running ends unheard: the tray it would update is going
        self.recorder.stop()  # what a quit interrupts is still recorded
        if self.scheduler is not None:
            self.scheduler.shutdown()
        self.notifier.close()
        self._keyring_timer.stop()
        if self._tray_wait is not None:
            self._tray_wait.stop()  # else it would still bring up a stand-in window after the app stopped
        if self.stand_in is not None:
            self.stand_in.retire()
        if self._glance is not None:
            self._glance.close()
        self.tray.dispose()

    def scheduler_due(self) -> None:
        """Called on the scheduler's thread: only hands over to the GUI thread."""
        self._due.emit()

    def scheduler_resumed(self, slept: float) -> None:
        self._resumed.emit(slept)

    def _show_tray_when_available(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
            return
        log.warning("no system tray yet; waiting for one (a window stands in after %s s)", STAND_IN_SECONDS)
        elapsed = 0

        def retry() -> None:
            nonlocal elapsed
            if self._stopped:
                timer.stop()
                return
            elapsed += 1
            if QSystemTrayIcon.isSystemTrayAvailable():
                timer.stop()
                # The icon made while no tray was up would stay XEmbed: make one now that sees the panel.
                icon = self.tray.recreate()
                if isinstance(self.notifier, TrayMessageNotifier):
                    self.notifier.use_tray(icon)
                self.tray.show()
                log.info("system tray available after %s s", elapsed)
                if self.stand_in is not None:
                    self.stand_in.retire()
                    self.stand_in = None
                return
            if elapsed == STAND_IN_SECONDS:
                log.warning("no system tray after %s s; a window stands in for it", elapsed)
                self.show_stand_in()
            if elapsed >= TRAY_WAIT_SECONDS:
                timer.stop()  # no wake-ups for ever: the stand-in window stays the way in
                log.warning("no system tray after %s s; not looking for one any more", elapsed)

        timer = self._tray_wait = QTimer(self)
        timer.setInterval(1000)
        timer.timeout.connect(retry)
        timer.start()

    def show_stand_in(self) -> StandInWindow:
        """The glance in a normal window, with Quit; closing it ends the app."""
        from .glance import StandInWindow

        if self.stand_in is None:
            window = self._wire_glance(StandInWindow())
            window.settings_requested.connect(self.open_settings)
            window.quit_requested.connect(self.quit_requested.emit)
            self.stand_in = window
        self.stand_in.set_views(self._views or [], self.clock(), self.tray.busy)
        self.stand_in.show()
        self.stand_in.raise_()
        return self.stand_in

    # ------------------------------------------------------------ polling

    def poll_due(self) -> None:
        accounts = self.service.accounts_due(self.clock())
        if accounts and self.poller.poll(accounts, self.service.monitor.states):
            self._polls += 1
            self._round = Round.POLLING
            self.tray.busy = True
            self._update_glance()
        else:
            self._arm()

    def refresh_now(self) -> None:
        self.service.mark_due()
        self.poll_due()

    def _on_resumed(self, slept: float) -> None:
        log.info("polling after resume")
        self.refresh_now()

    def _on_result(self, result: FetchResult) -> None:
        if self._stopped:
            return
        # Results queued together are handled as one burst (one pass over the alerts, one history
        # transaction, one redraw), not one each: the recorder takes them once this pass of the loop ends.
        if result.error is not None and result.error.kind is ErrorKind.SECRET:
            self._keyring_failed(local(result.error.title), local(result.error.message))
        elif result.snapshot is not None and self.tray.status_line:
            self.tray.status_line = self.tray.status_detail = None
            self._keyring_ok()
        elif result.snapshot is not None:
            self._keyring_ok()
        self.recorder.add(result)

    # ------------------------------------------------------------ the keyring locked

    def _keyring_failed(self, title: str, message: str) -> None:
        """A short menu line, one notification per lock, and a retry by itself, backing off (the unlock is
        seen by the next retry's read; nothing runs in between)."""
        self.tray.status_detail = message
        self.tray.status_line = title
        if not self._keyring_noted:
            self._keyring_noted = True
            self._keyring_note = Message(title, message, False, "", True)
        if not self._keyring_timer.isActive():
            delay = KEYRING_RETRY_SECONDS[min(self._keyring_retries, len(KEYRING_RETRY_SECONDS) - 1)]
            self._keyring_retries += 1
            log.info("keyring unavailable; polling again in %s s", delay)
            self._keyring_timer.start(delay * 1000)

    def _keyring_ok(self) -> None:
        self._keyring_timer.stop()
        self._keyring_retries = 0
        self._keyring_noted = False
        self._keyring_note = None

    def _retry_keyring(self) -> None:
        failed = [
            a.id
            for a in self.service.monitor.accounts
            if (st := self.service.monitor.states.get(a.id)) is not None
            and st.last_error is not None
            and st.last_error.kind is ErrorKind.SECRET
        ]
        if not failed:
            return
        log.info("retrying the keyring for %s account(s)", len(failed))
        self.service.monitor.mark_due(failed)
        self.poll_due()

    def _on_finished(self) -> None:
        if self._stopped:
            return
        self._polls = max(0, self._polls - 1)
        self.tray.busy = bool(self.poller.in_flight())
        self._update_glance()
        if self._polls == 0:
            self._round = Round.SETTLING
        self._arm()
        if not self.tray.busy:
            self._trim_memory()
        self._settle()

    def _on_recorded(self, views: list[AccountView]) -> None:
        if self._stopped:
            return
        self._show(views)
        self._settle()

    def _settle(self) -> None:
        """Once a round's results are recorded and shown, its alerts are delivered (one grouped notification,
        forecast alerts included) and `settled` is emitted."""
        if self._round is Round.POLLING or self.recorder.busy:
            return
        if self._round is Round.SETTLING:
            self._round = Round.IDLE
            log.info("poll shown (%s accounts)", len(self._views or []))
            self.deliver_alerts(self._views)
            if not self._heap_frozen:  # the first rest: what start-up and the first poll built stays for good
                self._heap_frozen = True
                log.debug("heap frozen (%s objects)", freeze_heap())
                self._trim_memory()  # what that collection freed too (the trim after the poll came before it)
        self.settled.emit()

    @staticmethod
    def _trim_memory() -> None:
        # Off the UI thread: trimming a large heap can take a few ms.
        threading.Thread(target=release_free_memory, name="malloc-trim", daemon=True).start()

    def _arm(self) -> None:
        if self.scheduler is not None:
            self.scheduler.arm(self.service.next_wakeup(self.clock()))

    def refresh_views(self) -> None:
        self._show(self.service.views(self.clock()))

    def _show(self, views: list[AccountView]) -> None:
        self._views = views
        self.tray.set_views(views)
        if self._details is not None:  # not built yet: it reads the views when it is
            self._details.lang = self.service.monitor.lang
            self._details.set_views(views)
        self._update_glance()

    def _update_glance(self) -> None:
        """The glance and the stand-in window, when open, show what the tray shows (a closed glance is
        refreshed when it opens)."""
        for window in (self._glance, self.stand_in):
            if window is not None and window.isVisible():
                window.set_views(self._views or [], self.clock(), self.tray.busy)

    # ------------------------------------------------------------ notifications

    def deliver_alerts(self, views: Sequence[AccountView] | None = None) -> None:
        """Notify what is newly true in `views` (made now when not given)."""
        now = self.clock()
        if views is None:
            views = self.service.views(now)
        fresh = self.service.notify_due(now, views)
        message = compose(fresh, views)
        note, self._keyring_note = self._keyring_note, None
        settings = self.service.config.settings
        quiet = not settings.notifications or (settings.snoozed_until is not None and now < settings.snoozed_until)
        if note is not None and not quiet:
            # One bubble a poll: the keyring's state goes first in the alerts' bubble, or alone.
            message = note if message is None else compose(fresh, views, first_line=f"{note.summary}: {note.body}")
        if message is not None:
            self.delivered.append(message)
            self.notifier.show(message)

    def snooze(self, how: str) -> None:
        """Silence notifications for a while (the icon's badge still shows alerts); "resume" ends it."""
        try:
            until = self.service.snooze(how, self.clock())
        except TrayError as exc:
            self.details.set_banner(self._not_saved(exc))
            return
        self.tray.snoozed_until = until
        if until is None:
            self.deliver_alerts()

    # ------------------------------------------------------------ windows

    @property
    def glance(self) -> GlanceWindow:
        if self._glance is None:
            from .glance import GlanceWindow

            self._glance = self._wire_glance(GlanceWindow())
        return self._glance

    def _wire_glance(self, window: _Glance) -> _Glance:
        """A card opens its account's details; Refresh polls; "add one" opens the Add dialog."""
        window.account_activated.connect(self.open_details)
        window.refresh_requested.connect(self.refresh_now)
        window.add_requested.connect(self.add_account)
        return window

    def open_glance(self) -> None:
        """The left click on the icon: the glance by the icon (a second click closes it)."""
        if self._glance is not None and (self._glance.isVisible() or self._glance.just_closed()):
            self._glance.dismiss()
            return
        glance = self._open_glance_now()
        log.info("glance opened (%s accounts)", len(glance.cards))

    def _open_glance_now(self) -> GlanceWindow:
        glance = self.glance
        glance.set_views(self.service.views(self.clock()), self.clock(), self.tray.busy)
        glance.show_by(self.tray.tray.geometry())
        return glance

    def open_notification(self, account_id: str) -> None:
        """A click on a bubble: the account it is about, or the glance for a bubble about several."""
        if account_id:
            self.open_details(account_id)
        elif self.stand_in is not None and self.stand_in.isVisible():
            self.stand_in.raise_()
        else:
            self._open_glance_now()
            log.info("glance opened from a notification")

    def open_details(self, account_id: str = "") -> None:
        self.refresh_views()
        self.details.bring_forward(account_id or None)
        log.info("details opened for %s", self.details.selected_account_id() or "no account")

    def handle_instance_request(self, request: str) -> None:
        self.open_details("")

    def open_settings(self) -> None:
        from .dialogs import SettingsDialog

        currencies = {v.snapshot.currency for v in self._views or () if v.snapshot and v.snapshot.currency}
        currencies |= {a.currency for a in self.service.config.accounts if a.currency}
        dialog = SettingsDialog(self.service.config.settings, currencies=sorted(currencies))
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda code: self._settings_closed(dialog, code))
        dialog.open()

    def _settings_closed(self, dialog: SettingsDialog, code: int) -> None:
        self._dialogs.remove(dialog)
        if code != dialog.DialogCode.Accepted:
            return
        before = self.service.config.settings.start_at_login
        try:
            self.service.set_settings(dialog.result_settings())
        except TrayError as exc:
            self.details.set_banner(self._not_saved(exc))
            return
        self.tray.icon_style = self.service.config.settings.icon_style
        self._apply_start_at_login(before)
        self.refresh_views()
        self._arm()

    def _apply_start_at_login(self, before: bool) -> None:
        try:
            self.service.apply_start_at_login(before)
        except OSError as exc:
            log.error("start at login could not be changed: %s", exc)
            self.details.set_banner(self.tr("Start at login could not be changed: {error}").format(error=exc))

    def _first_run_note(self) -> None:
        if self.service.overflow_note_due():
            self.tray.tray.showMessage(local(firstrun.OVERFLOW_NOTE_TITLE), local(firstrun.OVERFLOW_NOTE))

    # ------------------------------------------------------------ accounts

    def add_account(self) -> AccountDialog:
        return self._account_dialog(None)

    def edit_account(self, account_id: str) -> AccountDialog | None:
        account = self.service.monitor.account(account_id)
        return self._account_dialog(account) if account else None

    def _account_dialog(self, account: Account | None) -> AccountDialog:
        from .dialogs import AccountDialog

        dialog = AccountDialog(
            self._details if self._details is not None and self._details.isVisible() else None, account
        )
        self._dialogs.append(dialog)
        dialog.submitted.connect(lambda draft: self._test_draft(dialog, draft))
        dialog.finished.connect(lambda _code: self._dialogs.remove(dialog) if dialog in self._dialogs else None)
        dialog.open()
        return dialog

    def _draft_account(self, draft: AccountDraft) -> Account:
        return self.service.draft_account(
            draft.provider,
            draft.label,
            base_url=draft.base_url,
            currency=draft.currency,
            secret_kinds=tuple(draft.secrets),
            options=draft.options,
            account_id=draft.account_id,
            grants=draft.grants,
            now=self.clock(),
        )

    def _test_draft(self, dialog: AccountDialog, draft: AccountDraft) -> None:
        try:
            account = self._draft_account(draft)
        except ConfigError as exc:  # e.g. a new host without its key entered again (service.py)
            dialog.show_error(f"{local(exc.title)}: {local(exc.message)}")
            return
        secrets = dict(draft.secrets)
        if draft.account_id:
            # Editing without retyping a key: test with the stored one (read off the UI thread).
            def read_then_test() -> None:
                try:
                    keys = self.service.stored_keys(account, secrets)
                except SecretStoreError as exc:
                    self._keys_saved.emit(dialog, f"{local(exc.title)}: {local(exc.message)}")
                    return
                self.poller.test((dialog, draft, account), account, keys)

            threading.Thread(target=read_then_test, daemon=True).start()
        else:
            self.poller.test((dialog, draft, account), account, secrets)

    def _on_tested(self, token: Any, result: FetchResult) -> None:
        dialog, draft, account = token
        if result.error is not None:
            dialog.show_error(f"{local(result.error.title)}: {local(result.error.message)}")
            return

        def store() -> None:
            try:
                self.service.store_keys(account.id, draft.secrets)
            except SecretStoreError as exc:
                self._keys_saved.emit(
                    dialog,
                    self.tr("{title}: {message} Nothing was saved.").format(
                        title=local(exc.title), message=local(exc.message)
                    ),
                )
                return
            self._keys_saved.emit(dialog, None)

        dialog.pending = (account, result)
        threading.Thread(target=store, name="keyring-store", daemon=True).start()

    def _on_keys_saved(self, dialog: AccountDialog, error: str | None) -> None:
        if error is not None:
            dialog.show_error(error)
            return
        assert dialog.pending is not None
        account, result = dialog.pending
        try:
            self.service.put_account(account)
        except TrayError as exc:
            self.service.state.orphaned_keys.add(account.id)  # its keys go, unless it is on disk after all
            dialog.show_error(self._not_saved(exc))
            return
        views = self.service.take([result], self.clock())
        dialog.clear_keys()
        dialog.accept()
        self._show(views)
        self.deliver_alerts(views)
        self._arm()

    def remove_account(self, account_id: str, *, confirm: bool = True) -> None:
        account = self.service.monitor.account(account_id)
        if account is None:
            return
        if confirm:
            from .dialogs import confirm_remove

            if not confirm_remove(self.details, account.label):
                return

        def delete_keys() -> None:  # off the UI thread: the keyring may wait for an unlock prompt
            try:
                self.service.delete_keys(account)
            except SecretStoreError as exc:
                self._keys_removed.emit(
                    account.id,
                    self.tr("{title}: {message} The account was kept.").format(
                        title=local(exc.title), message=local(exc.message)
                    ),
                )
                return
            self._keys_removed.emit(account.id, "")

        threading.Thread(target=delete_keys, name="keyring-delete", daemon=True).start()

    def _on_keys_removed(self, account_id: str, error: str) -> None:
        if error:
            self.details.set_banner(error)
            return
        try:
            self.service.remove_account(account_id)
        except TrayError as exc:
            self.details.set_banner(self._not_saved(exc))
            return
        self.refresh_views()
        self._arm()
        self.account_removed.emit(account_id)

    def _acknowledge_identity(self, account_id: str) -> None:
        self.service.acknowledge_identity(account_id)
        self.refresh_views()

    # ------------------------------------------------------------ config.json changed by another process

    CONFIG_SETTLE_MS = 150  # a save is a burst of events (temp file, backup, rename): reload once it is over

    def watch_config(self) -> None:
        """Follow config.json as other processes change it (`trayapp accounts add/remove/grant`): an account
        added appears and is polled, a removed one disappears, a setting applies. Both the file and its folder
        are watched: a save replaces the file (a rename), which ends a watch on the old file."""
        if self.service.config_store is None or getattr(self, "_config_watch", None) is not None:
            return  # the demo writes no config
        path = self.service.paths.config_file
        self._config_seen = _file_stamp(path)
        self._config_reload = QTimer(self)
        self._config_reload.setSingleShot(True)
        self._config_reload.setInterval(self.CONFIG_SETTLE_MS)
        self._config_reload.timeout.connect(self._reload_config)
        self._config_watch = QFileSystemWatcher(self)
        self._config_watch.fileChanged.connect(self._config_touched)
        self._config_watch.directoryChanged.connect(self._config_touched)
        self._config_watch.addPath(str(path.parent))
        self._config_touched()

    def _config_touched(self, _changed: str = "") -> None:
        path = self.service.paths.config_file
        if path.exists() and str(path) not in self._config_watch.files():
            self._config_watch.addPath(str(path))  # the new file a save renamed into place
        if _file_stamp(path) != self._config_seen:  # not state.json or a log in the same folder
            self._config_reload.start()

    def _not_saved(self, exc: TrayError) -> str:
        """What the user reads when config.json could not be changed (a full disk, a newer version's file):
        the file was left as it was."""
        log.error("not saved: %s: %s", exc.title, exc.message)
        return f"{local(exc.title)}: {local(exc.message)}"

    def _reload_config(self) -> None:
        self._config_seen = _file_stamp(self.service.paths.config_file)
        try:
            changed = self.service.reload_config()
        except TrayError as exc:  # another writer holds the lock too long: the next change tries again
            log.warning("config.json not reloaded: %s", exc)
            return
        if not changed:
            return  # our own save, or nothing that matters
        self.tray.snoozed_until = self.service.config.settings.snoozed_until
        self.tray.icon_style = self.service.config.settings.icon_style
        self.refresh_views()
        self.poll_due()  # an account added elsewhere is read now (the scheduler is re-armed either way)


def _file_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _new_details_window() -> DetailsWindow:
    from .details import DetailsWindow

    return DetailsWindow()
