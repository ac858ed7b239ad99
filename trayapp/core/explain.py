"""For each alert: what it means and what to do. Only facts with a source, linked.

The core's explanations hold for every provider; a provider adds links to its own help pages, and may
replace the explanation of an alert that means something particular for it (ProviderInfo.explanations and
help_links: OpenAI's trial credit and second accounts, with their sources, are in providers/openai).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .alerts import kind_of
from .i18n import tr_noop, translate


@dataclass(frozen=True)
class Explanation:
    title: str
    meaning: str
    todo: str
    links: tuple[tuple[str, str], ...] = ()  # (text, url)


EXPLANATIONS: dict[str, Explanation] = {  # English; the Japanese is in the catalog (core/texts_ja.py)
    "second_account": Explanation(
        tr_noop("Second account on the same phone or mailbox"),
        tr_noop(
            "This account shares its phone number or mailbox with another configured account created earlier. A "
            "provider that gives trial credit once per person gives it to the first account only."
        ),
        tr_noop(
            "Check which of your accounts were created with the same phone number or login, and use the key of "
            "the account that has the credit, or add credit to this one."
        ),
    ),
    "same_login": Explanation(
        tr_noop("Two keys of one login"),
        tr_noop("Both accounts' keys belong to the same login, so they draw on the same credit."),
        tr_noop("Keep one of the two entries, or label them as keys of one account."),
    ),
    "no_trial_credit": Explanation(
        tr_noop("No trial credit on a new account"),
        tr_noop("The account is new and has no granted credit."),
        tr_noop("Buy credit if you mean to use this account; check whether an older account of yours has the trial."),
    ),
    "identity_changed": Explanation(
        tr_noop("The key belongs to another login now"),
        tr_noop(
            "The key's owner (user id) differs from the one seen before: the key was replaced by one of another "
            "account, or the account was changed."
        ),
        tr_noop("Check that this is the key you meant; open Details and confirm the new owner to stop this warning."),
    ),
    "credit_zero": Explanation(
        tr_noop("No credit left"),
        tr_noop(
            "API calls of this account now fail until credit is added. Nothing is charged automatically unless a "
            "payment method with auto-recharge is set."
        ),
        tr_noop("Add credit on the provider's billing page, or switch your tools to an account with credit."),
    ),
    "spend_limit": Explanation(
        tr_noop("Spend limit reached"),
        tr_noop(
            "The organization's monthly spend limit is being enforced: API requests are refused until the limit "
            "is raised or the month ends. This is a cap you set, not a lack of credit."
        ),
        tr_noop("Raise the limit on the billing page's limits section, or wait for the next period."),
    ),
    "credit_low": Explanation(
        tr_noop("Credit is low"),
        tr_noop("The remaining credit is at or below your warning threshold."),
        tr_noop("Add credit before it runs out, or lower the threshold in Settings."),
    ),
    "expiring_soon": Explanation(
        tr_noop("Credit expires soon"),
        tr_noop("Granted and prepaid credit can expire: what is left on the expiry date is lost."),
        tr_noop(
            "Use the credit before the date, or accept the loss; the expiry comes from the provider or from the "
            "grant you entered."
        ),
    ),
    "runs_out_soon": Explanation(
        tr_noop("Credit runs out soon at the current rate"),
        tr_noop(
            "A projection from this app's own readings, not a figure from the provider: at the average spend of "
            "the last 14 days (intervals with a top-up left out), the remaining credit reaches zero within the "
            "warning window set in Settings (7 days unless changed). Once it is gone, API calls fail."
        ),
        tr_noop(
            "Add credit before that date, or move work to an account with credit; the forecast is updated with "
            "every poll."
        ),
    ),
    "will_expire_unused": Explanation(
        tr_noop("Credit will expire unused"),
        tr_noop(
            "At the recent rate of spend, part of the granted credit is still left on its expiry date, and what "
            "is left on that day is lost: the provider does not extend it. Trial credit is spent before paid "
            "credit, so the amount shown is what remains of the grant after the projected spend."
        ),
        tr_noop(
            "Use the credit before the date (for example, send more of your work to this account), or accept the "
            "loss; the expiry comes from the provider or from the grant you entered."
        ),
    ),
    "key_invalid": Explanation(
        tr_noop("Key rejected"),
        tr_noop("The provider answered 401: the key is invalid, was revoked, or belongs to a deleted project."),
        tr_noop("Create a new key on the provider's site and enter it with Edit account."),
    ),
    "stale": Explanation(
        tr_noop("Data is old"),
        tr_noop("No fresh reading for three poll intervals: the numbers shown may no longer be true."),
        tr_noop("Check the error shown for the account (network, keyring, provider); Refresh now retries at once."),
    ),
}


TODO_HEADING = tr_noop("What to do")


Link = tuple[str, str]  # (text marked with tr_noop, url)


def explain(
    code: str,
    lang: str = "en",
    *,
    own: Mapping[str, Explanation] | None = None,
    links: Mapping[str, tuple[Link, ...]] | None = None,
) -> Explanation | None:
    """What the alert of this code means and what to do, in `lang`; None for a code without one. `own` and
    `links` are the account's provider's explanations and help links (ProviderInfo), keyed like the core's."""
    kind = kind_of(code)
    key = kind.explanation if kind else code
    english = (own or {}).get(key) or EXPLANATIONS.get(key)
    if english is None:
        return None
    return Explanation(
        translate(english.title, lang),
        translate(english.meaning, lang),
        translate(english.todo, lang),
        tuple((translate(text, lang), url) for text, url in (*english.links, *(links or {}).get(key, ()))),
    )
