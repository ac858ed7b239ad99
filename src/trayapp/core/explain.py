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

EXPLANATIONS: dict[str, Explanation] = {
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


def explain(code: str) -> Explanation | None:
    return EXPLANATIONS.get(code)
