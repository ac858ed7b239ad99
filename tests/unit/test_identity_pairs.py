"""identity_alerts finds the accounts that share a login, a phone or a mailbox by what they share instead of
looking at every pair (500 accounts were 125,000 pairs, ~30 ms of the UI thread a burst); what it says must be
exactly what the loop over every pair said: the same alerts, in the same order, with the same wording. That
loop is kept here as it was (trayapp/core/rules.py before this change) and both are run on seeded random
accounts: few logins, phones and mailboxes shared among them, two providers, creation dates in any order.
identity_alerts also gives its last answer again while nothing it reads has changed: each change is made in
turn, and the answer must follow."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from trayapp.core.alerts import ALERTS, AlertCode
from trayapp.core.models import Account, AccountState, Alert, Identity, Snapshot
from trayapp.core.rules import TRIAL_WINDOW, _order_by_creation, _richer, identity_alerts
from trayapp.core.texts import text

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def accounts_and_states(seed: int, count: int) -> tuple[list[Account], dict[str, AccountState]]:
    rng = random.Random(seed)
    accounts: list[Account] = []
    states: dict[str, AccountState] = {}
    for n in range(count):
        account = Account(
            f"acct-{n}",
            rng.choice(["openai", "openai", "deepseek"]),
            f"Account {n}",
            NOW - timedelta(days=rng.randrange(0, 400)),
        )
        accounts.append(account)
        if rng.random() < 0.15:
            continue  # never read: no state
        identity = None
        if rng.random() < 0.85:
            identity = Identity(
                user_id=rng.choice([None, "user-a", "user-b", f"user-own-{n}"]),
                created=rng.choice([None, NOW - timedelta(days=rng.randrange(0, 200))]),
                phone_hash=rng.choice([None, "phone-1", "phone-2", f"phone-own-{n}"]),
                email_hash=rng.choice([None, "mail-1", f"mail-own-{n}"]),
            )
        snapshot = Snapshot(
            account.id,
            NOW,
            currency="USD",
            remaining=rng.choice([None, Decimal(0), Decimal("4.50"), Decimal(18)]),
            granted_total=rng.choice([None, Decimal(0), Decimal(5)]),
            identity=identity,
            flags=frozenset(["insufficient_quota"]) if rng.random() < 0.2 else frozenset(),
        )
        states[account.id] = AccountState(
            last_good=snapshot, known_user_id=rng.choice([None, "user-a", identity.user_id if identity else None])
        )
    rng.shuffle(accounts)
    return accounts, states


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_same_alerts_as_the_loop_over_every_pair(seed: int, lang: str) -> None:
    accounts, states = accounts_and_states(seed, 4 + seed % 37)
    expected = all_pairs_identity_alerts(accounts, states, NOW, lang)
    assert identity_alerts(accounts, states, NOW, lang) == expected
    assert identity_alerts(accounts, states, NOW, lang) == expected  # the same facts: the answer kept
    # Each thing it reads, changed in turn: what it says follows (the kept answer is not given again).
    rng = random.Random(seed)
    for change in range(14):
        accounts, states, now = changed(rng, accounts, states, change % 7)
        assert identity_alerts(accounts, states, now, lang) == all_pairs_identity_alerts(accounts, states, now, lang)


def changed(
    rng: random.Random, accounts: list[Account], states: dict[str, AccountState], what: int
) -> tuple[list[Account], dict[str, AccountState], datetime]:
    accounts, states, now = list(accounts), dict(states), NOW
    read = [a for a in accounts if a.id in states and states[a.id].last_good is not None]
    if not read:
        return accounts, states, now
    account = rng.choice(read)
    state = states[account.id]
    snap = state.last_good
    assert snap is not None
    if what == 0:  # who the key is
        ident = snap.identity or Identity()
        new = replace(ident, user_id=rng.choice([None, "user-a", "user-b"]), phone_hash=rng.choice([None, "phone-1"]))
        states[account.id] = replace(state, last_good=replace(snap, identity=new))
    elif what == 1:  # its balance (which of two keys of one login holds the credit)
        states[account.id] = replace(state, last_good=replace(snap, remaining=Decimal(rng.randrange(0, 30))))
    elif what == 2:  # its grants and quota
        flags = frozenset(["insufficient_quota"]) - snap.flags
        states[account.id] = replace(state, last_good=replace(snap, granted_total=Decimal(0), flags=flags))
    elif what == 3:  # the account itself: renamed
        accounts[accounts.index(account)] = replace(account, label=f"{account.label}!")
    elif what == 6:  # or made earlier
        accounts[accounts.index(account)] = replace(account, created_at=account.created_at - timedelta(days=500))
    elif what == 4:  # the login it belonged to
        states[account.id] = replace(state, known_user_id=rng.choice([None, "user-b", "user-z"]))
    elif what == 5:  # time passes: the trial window closes
        now = NOW + TRIAL_WINDOW
    return accounts, states, now


def test_the_random_accounts_meet_every_kind_of_alert() -> None:
    said: set[AlertCode] = set()
    for seed in range(40):
        said |= {a.code for a in all_pairs_identity_alerts(*accounts_and_states(seed, 4 + seed % 37), NOW)}
    assert said == {
        AlertCode.SAME_LOGIN,
        AlertCode.SECOND_ACCOUNT,
        AlertCode.NO_TRIAL_CREDIT,
        AlertCode.IDENTITY_CHANGED,
    }


def test_many_keys_of_one_login_are_said_once_each() -> None:
    accounts = [Account(f"k{n}", "openai", f"Key {n}", NOW - timedelta(days=n)) for n in range(300)]
    login = Identity(user_id="user-team")
    states = {a.id: AccountState(last_good=Snapshot(a.id, NOW, identity=login)) for a in accounts}
    alerts = identity_alerts(accounts, states, NOW)
    assert alerts == all_pairs_identity_alerts(accounts, states, NOW)
    assert [a.account_id for a in alerts] == [a.id for a in accounts[1:]]  # one each, but the first key's


# ---------------------------------------------------------------- the loop over every pair, as it was


def all_pairs_identity_alerts(
    accounts: Sequence[Account], states: Mapping[str, AccountState], now: datetime, lang: str = "en"
) -> list[Alert]:
    """Second accounts on one phone or mailbox, two keys of one login, trial credit that never came: one alert
    of a kind per account, the first its pairs give (in the accounts' order)."""
    alerts: list[Alert] = []
    # Each pair is looked at (who came first decides the wording), but an account's alert of a kind is made
    # once: a hundred keys of one login would otherwise make ~5,000 sentences a poll, for 100 alerts shown.
    made: set[tuple[str, AlertCode]] = set()
    # Who explains a missing trial: the earlier account this one shares a phone, mailbox or login with.
    behind: dict[str, tuple[Account, list[str]]] = {}
    known = [
        (a, states[a.id].last_good.identity)  # type: ignore[union-attr]
        for a in accounts
        if a.id in states and states[a.id].last_good and states[a.id].last_good.identity  # type: ignore[union-attr]
    ]
    for i, (a, ida) in enumerate(known):
        assert ida is not None
        for b, idb in known[i + 1 :]:
            assert idb is not None
            if a.provider != b.provider:  # ids of one provider's logins only
                continue
            if ida.user_id and ida.user_id == idb.user_id:
                first, second = _order_by_creation(a, None, b, None)
                if second.id not in behind:
                    behind[second.id] = (first, [text(lang, "shared_login")])
                if (b.id, AlertCode.SAME_LOGIN) in made:
                    continue
                made.add((b.id, AlertCode.SAME_LOGIN))
                holder = _richer(a, b, states)
                alerts.append(
                    Alert(
                        b.id,
                        AlertCode.SAME_LOGIN,
                        ALERTS[AlertCode.SAME_LOGIN].severity,
                        text(
                            lang,
                            "same_login",
                            a=a.label,
                            b=b.label,
                            holder="" if holder is None else text(lang, "same_login_holder", label=holder.label),
                        ),
                    )
                )
                continue
            phone = bool(ida.phone_hash and ida.phone_hash == idb.phone_hash)
            mailbox = bool(ida.email_hash and ida.email_hash == idb.email_hash)
            if phone or mailbox:
                first, second = _order_by_creation(a, ida.created, b, idb.created)
                if second.id in behind and (second.id, AlertCode.SECOND_ACCOUNT) in made:
                    continue  # both already said for this account
                shared = [text(lang, "shared_phone")] * phone + [text(lang, "shared_mailbox")] * mailbox
                behind.setdefault(second.id, (first, shared))
                if (second.id, AlertCode.SECOND_ACCOUNT) in made:
                    continue
                made.add((second.id, AlertCode.SECOND_ACCOUNT))
                alerts.append(
                    Alert(
                        second.id,
                        AlertCode.SECOND_ACCOUNT,
                        ALERTS[AlertCode.SECOND_ACCOUNT].severity,
                        text(
                            lang,
                            "second_account",
                            second=second.label,
                            first=first.label,
                            shared=text(lang, "shared_and").join(shared),
                        ),
                    )
                )
    for a, ident in known:
        assert ident is not None
        snap = states[a.id].last_good
        assert snap is not None
        young = ident.created is not None and now - ident.created <= TRIAL_WINDOW
        no_grants = snap.granted_total is not None and snap.granted_total <= 0
        quota = "insufficient_quota" in snap.flags
        if young and (no_grants or quota):
            # "Second account" only on evidence; without it, the plain fact: new accounts get no trial credit now.
            if a.id in behind:
                first, shared = behind[a.id]
                message = text(
                    lang,
                    "no_trial_credit_shared",
                    label=a.label,
                    first=first.label,
                    shared=text(lang, "shared_and").join(shared),
                )
            else:
                message = text(lang, "no_trial_credit", label=a.label)
            alerts.append(Alert(a.id, AlertCode.NO_TRIAL_CREDIT, ALERTS[AlertCode.NO_TRIAL_CREDIT].severity, message))
    for a in accounts:
        st = states.get(a.id)
        ident = st.last_good.identity if st and st.last_good else None
        if st and st.known_user_id and ident and ident.user_id and ident.user_id != st.known_user_id:
            alerts.append(
                Alert(
                    a.id,
                    AlertCode.IDENTITY_CHANGED,
                    ALERTS[AlertCode.IDENTITY_CHANGED].severity,
                    text(lang, "identity_changed", label=a.label),
                )
            )
    return alerts
