import json

from tests.conftest import CliRunner


def test_demo_check_json_lists_every_demo_account_and_exits_critical(cli: CliRunner) -> None:
    result = cli("--demo", "check", "--json")
    assert result.code == 2, result.err
    report = json.loads(result.out)
    accounts = {a["id"]: a for a in report["accounts"]}
    assert len(accounts) >= 6
    fields = {
        "id",
        "label",
        "provider",
        "status",
        "currency",
        "remaining",
        "remaining_granted",
        "remaining_paid",
        "granted_total",
        "used",
        "expires_at",
        "days_to_expiry",
        "identity",
        "alerts",
        "error",
        "checked_at",
    }
    for account in accounts.values():
        assert fields <= set(account)
    codes = {a["code"] for acc in accounts.values() for a in acc["alerts"]}
    assert {"credit_zero", "credit_low", "expiring_soon", "second_account"} <= codes
    assert accounts["demo-zero"]["remaining"] == 0
    assert 0 < accounts["demo-expiring"]["days_to_expiry"] <= 7
    second = next(a for a in accounts["demo-alias"]["alerts"] if a["code"] == "second_account")
    assert second["severity"] == "critical" and "OpenAI main (demo)" in second["message"]
    # Identity goes out masked; the comparison hashes never leave the machine.
    ident = accounts["demo-main"]["identity"]
    assert "phone_hash" not in ident and "email_hash" not in ident
    assert "@" in ident["email_masked"] and "pat.example" not in result.out


def test_demo_check_text_names_the_worst_state_first(cli: CliRunner) -> None:
    result = cli("--demo", "check")
    assert result.code == 2
    assert result.out.splitlines()[0].startswith("CREDIT CRITICAL - ")


def test_version(cli: CliRunner) -> None:
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("trayapp ")


def test_check_speaks_japanese_with_a_japanese_locale(cli: CliRunner) -> None:
    result = cli("--demo", "check", "--json", env={"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.code == 2
    report = json.loads(result.out)
    alias = next(a for a in report["accounts"] if a["id"] == "demo-alias")
    second = next(a for a in alias["alerts"] if a["code"] == "second_account")
    assert "2つ目のアカウント" in second["message"] and "OpenAI main (demo)" in second["message"]
    english = json.loads(cli("--demo", "check", "--json", env={"LANG": "C", "LC_ALL": ""}).out)
    alias_en = next(a for a in english["accounts"] if a["id"] == "demo-alias")
    assert "second account" in next(a for a in alias_en["alerts"] if a["code"] == "second_account")["message"]
