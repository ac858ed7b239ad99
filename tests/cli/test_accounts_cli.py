import json

from tests.conftest import CliRunner


def test_add_stores_key_only_in_keyring_and_prints_id_last(cli: CliRunner, tmp_path) -> None:
    key = "sk-test-CANARY-1234567890abcdef"
    result = cli("accounts", "add", "--provider", "deepseek", "--label", "My DeepSeek", "--key-stdin", stdin=key + "\n")
    assert result.code == 0, result.err
    account_id = result.out.strip().splitlines()[-1]
    assert account_id.startswith("deepseek-")
    listed = json.loads(cli("accounts", "list", "--json").out)
    assert [a["id"] for a in listed["accounts"]] == [account_id]
    keyring_items = json.loads((tmp_path / "test-keyring.json").read_text())
    assert keyring_items == {f"credit-tray\t{account_id}:api": key}
    for f in cli.config_dir.rglob("*"):
        if f.is_file():
            assert key not in f.read_text(errors="replace"), f
    assert key not in result.out + result.err


def test_add_from_env_and_remove_deletes_key(cli: CliRunner, tmp_path) -> None:
    result = cli(
        "accounts",
        "add",
        "--provider",
        "openrouter",
        "--label",
        "OR",
        "--key-env",
        "MY_KEY",
        env={"MY_KEY": "sk-or-v1-abcdef123456"},
    )
    assert result.code == 0, result.err
    account_id = result.out.strip().splitlines()[-1]
    assert cli("accounts", "remove", account_id).code == 0
    assert json.loads(cli("accounts", "list", "--json").out)["accounts"] == []
    assert json.loads((tmp_path / "test-keyring.json").read_text()) == {}


def test_plain_http_to_another_host_is_refused(cli: CliRunner) -> None:
    result = cli(
        "accounts",
        "add",
        "--provider",
        "openai-compatible",
        "--label",
        "relay",
        "--base-url",
        "http://relay.example.com/v1",
        "--key-stdin",
        stdin="sk-abc\n",
    )
    assert result.code == 1
    assert "plain http" in result.err
    assert json.loads(cli("accounts", "list", "--json").out)["accounts"] == []


def test_locked_keyring_adds_nothing(cli: CliRunner) -> None:
    result = cli(
        "accounts",
        "add",
        "--provider",
        "deepseek",
        "--label",
        "x",
        "--key-stdin",
        stdin="sk-abcdef\n",
        env={"TRAYAPP_TEST_KEYRING_LOCKED": "1"},
    )
    assert result.code == 1
    assert "Keyring locked" in result.err
    assert json.loads(cli("accounts", "list", "--json").out)["accounts"] == []


def test_grant_is_recorded_with_expiry(cli: CliRunner) -> None:
    account_id = (
        cli(
            "accounts",
            "add",
            "--provider",
            "openai",
            "--label",
            "oa",
            "--key-stdin",
            stdin="sk-proj-abcdef\n",
        )
        .out.strip()
        .splitlines()[-1]
    )
    result = cli(
        "accounts",
        "grant",
        account_id,
        "--amount",
        "5",
        "--effective",
        "2026-11-01",
        "--expires",
        "2027-02-01",
    )
    assert result.code == 0, result.err
    grants = json.loads(cli("accounts", "list", "--json").out)["accounts"][0]["grants"]
    assert grants == [
        {
            "amount": 5.0,
            "currency": "USD",
            "kind": "granted",
            "effective": "2026-11-01",
            "expires": "2027-02-01",
        }
    ]
    bad = cli("accounts", "grant", account_id, "--amount", "-3", "--expires", "2027-02-01")
    assert bad.code == 1 and "positive" in bad.err


def test_missing_account_is_a_clear_error(cli: CliRunner) -> None:
    result = cli("accounts", "remove", "nope")
    assert result.code == 1 and "No such account" in result.err


def test_probe_is_opt_in_per_openai_account(cli: CliRunner) -> None:
    account_id = (
        cli("accounts", "add", "--provider", "openai", "--label", "p", "--probe", "--key-stdin", stdin="sk-abcdef1\n")
        .out.strip()
        .splitlines()[-1]
    )
    config = json.loads((cli.config_dir / "config.json").read_text())
    assert [a["options"] for a in config["accounts"] if a["id"] == account_id] == [{"probe": True}]
    refused = cli(
        "accounts", "add", "--provider", "deepseek", "--label", "d", "--probe", "--key-stdin", stdin="sk-abcdef2\n"
    )
    assert refused.code == 1 and "--probe applies to --provider openai" in refused.err


def keyring(tmp_path) -> dict[str, str]:
    return json.loads((tmp_path / "test-keyring.json").read_text())


def added_id(result) -> str:
    assert result.code == 0, result.err
    return result.out.strip().splitlines()[-1]


def test_key_env_takes_the_kinds_the_provider_declares(cli: CliRunner, tmp_path) -> None:
    env = {"API": "sk-or-v1-abcdef123456", "MGMT": "sk-or-v1-mgmt123456"}
    account_id = added_id(
        cli(
            *("accounts", "add", "--provider", "openrouter", "--label", "OR"),
            *("--key-env", "api=API", "--key-env", "management=MGMT"),
            env=env,
        )
    )
    assert keyring(tmp_path) == {
        f"credit-tray\t{account_id}:api": env["API"],
        f"credit-tray\t{account_id}:management": env["MGMT"],
    }
    [listed] = json.loads(cli("accounts", "list", "--json").out)["accounts"]
    assert listed["keys"] == ["api", "management"]


def test_the_old_key_flags_are_aliases_of_key_env(cli: CliRunner, tmp_path) -> None:
    env = {"KEY": "sk-proj-abcdef", "ADMIN": "sk-admin-abcdef"}
    account_id = added_id(
        cli(
            *("accounts", "add", "--provider", "openai", "--label", "oa"),
            *("--key-stdin", "--admin-key-env", "ADMIN"),
            stdin="sk-proj-fromstdin\n",
            env=env,
        )
    )
    assert keyring(tmp_path) == {
        f"credit-tray\t{account_id}:api": "sk-proj-fromstdin",
        f"credit-tray\t{account_id}:admin": env["ADMIN"],
    }
    other = added_id(
        cli(
            *("accounts", "add", "--provider", "openai", "--label", "oa2", "--key-env", "KEY"),
            *("--key-env", "admin=ADMIN"),
            env=env,
        )
    )
    assert keyring(tmp_path)[f"credit-tray\t{other}:api"] == env["KEY"]


def test_a_kind_the_provider_does_not_declare_is_a_usage_error(cli: CliRunner) -> None:
    for flags in (["--key-env", "admin=ADMIN"], ["--admin-key-env", "ADMIN"], ["--key-env", "management=ADMIN"]):
        result = cli(
            *("accounts", "add", "--provider", "deepseek", "--label", "d", "--key-stdin", *flags),
            stdin="sk-abcdef\n",
            env={"ADMIN": "sk-admin-abcdef"},
        )
        assert result.code == 2, (flags, result.err)
        assert "its key kinds: api" in result.err
    twice = cli("accounts", "add", "--provider", "deepseek", "--label", "d", "--key-stdin", "--key-env", "K")
    assert twice.code == 2 and "given twice" in twice.err
    none = cli("accounts", "add", "--provider", "deepseek", "--label", "d")
    assert none.code == 2 and "--key-stdin --key-env is required" in none.err
    assert json.loads(cli("accounts", "list", "--json").out)["accounts"] == []


def test_a_key_without_its_declared_prefix_is_refused(cli: CliRunner) -> None:
    result = cli(
        *("accounts", "add", "--provider", "openai", "--label", "oa", "--key-stdin", "--key-env", "admin=ADMIN"),
        stdin="sk-proj-abcdef\n",
        env={"ADMIN": "sk-proj-notadmin"},
    )
    assert result.code == 1
    assert "Not an admin key: An OpenAI admin key starts with sk-admin-." in result.err
    assert json.loads(cli("accounts", "list", "--json").out)["accounts"] == []


def test_sample_providers_are_not_offered(cli: CliRunner) -> None:
    result = cli("accounts", "add", "--provider", "demo", "--label", "d", "--key-stdin", stdin="x\n")
    assert result.code == 2 and "invalid choice: 'demo'" in result.err
