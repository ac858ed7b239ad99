"""Keys from systemd credentials (`$CREDENTIALS_DIRECTORY/<account-id>.<kind>`, what `LoadCredential=` and
`LoadCredentialEncrypted=` give a service; https://systemd.io/CREDENTIALS/): read first, read only, the OS
keyring for whatever has no file there, and never a key in any output or file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner
from trayapp.core.errors import SecretStoreError
from trayapp.secrets.credentials import CredentialsStore
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import MemorySecretStore

from .conftest import ENGLISH, add_accounts, answer, assert_no_key_in, balance, key_of, need

SERVER_KEY = "sk-ds-CANARY-credential-0123456789"


def test_check_reads_the_systemd_credential_before_the_keyring(
    cli: CliRunner, server: HTTPServer, tmp_path: Path
) -> None:
    ids = add_accounts(cli, server, ["A", "B"])  # their keyring keys: key_of("A"), key_of("B")
    creds = tmp_path / "credentials"
    creds.mkdir(mode=0o700)
    # A's key as the service's unit hands it over (a trailing newline, as `echo ... | systemd-creds encrypt` has).
    (creds / f"{ids['A']}.api").write_text(SERVER_KEY + "\n")
    server.expect_request("/ds-A/user/balance", headers={"Authorization": f"Bearer {SERVER_KEY}"}).respond_with_json(
        balance("42.00")
    )
    server.expect_request("/ds-A/user/balance").respond_with_json({"error": {"message": "wrong key"}}, status=401)
    server.expect_request("/ds-B/user/balance", headers={"Authorization": f"Bearer {key_of('B')}"}).respond_with_json(
        balance("7.00")
    )
    result = cli("check", env={**ENGLISH, "CREDENTIALS_DIRECTORY": str(creds)})
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines()[0] == "CREDIT OK - 2 account(s) fine | 'A CNY'=42;@~:5;@~:0;0 'B CNY'=7;@~:5;@~:0;0"

    # Without the credentials the keyring's key goes, which this server refuses: the file was what counted.
    refused = cli("check", "--account", ids["A"], env=ENGLISH)
    assert refused.code == 2 and "the key was rejected" in refused.out, refused.out

    # A credential that cannot be a key is an error of that account, said plainly, with no key in it.
    (creds / f"{ids['A']}.api").write_text("")
    empty = cli("check", "--json", env={**ENGLISH, "CREDENTIALS_DIRECTORY": str(creds)})
    assert f'"message": "The systemd credential {ids["A"]}.api is empty or holds more than one key."' in empty.out
    assert_no_key_in([cli.config_dir], result.out + refused.out + empty.out)
    assert SERVER_KEY not in result.out + refused.out + empty.out


def test_credentials_store_is_read_only_and_stays_in_its_directory(tmp_path: Path) -> None:
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "acct-1.api").write_text("sk-file-0123456789\n")
    (tmp_path / "acct-2.api").write_text("sk-outside-0123456789")  # beside the directory, not in it
    keyring = MemorySecretStore({("acct-3", "api"): Secret("sk-keyring-0123456789")})
    store = CredentialsStore(tmp_path / "creds", keyring)
    found = store.get("acct-1", "api")
    assert found is not None and found.reveal() == "sk-file-0123456789"
    assert store.get("../acct-2", "api") is None  # no path out of the directory
    kept = store.get("acct-3", "api")
    assert kept is not None and kept.reveal() == "sk-keyring-0123456789"
    with pytest.raises(SecretStoreError, match="read-only"):
        store.set("acct-1", "api", Secret("sk-new-0123456789"))
    with pytest.raises(SecretStoreError):
        store.delete("acct-1", "api")
    assert (tmp_path / "creds" / "acct-1.api").read_text() == "sk-file-0123456789\n"


def test_accounts_add_encrypts_into_the_credstore_that_the_unit_loads(
    cli: CliRunner, server: HTTPServer, tmp_path: Path
) -> None:
    """The server's way in: `accounts add` with TRAYAPP_CREDSTORE encrypts the key with the real `systemd-creds`
    (host key or TPM2); root's `check` decrypts it from there; the service gets it decrypted by systemd in
    $CREDENTIALS_DIRECTORY under the name LoadCredentialEncrypted=credit-tray:<dir> gives it."""
    systemd_creds = need("systemd-creds", "systemd")
    if os.geteuid() != 0:
        pytest.skip("systemd-creds encrypts with the host key, which only root can read")
    store = tmp_path / "credstore.encrypted" / "credit-tray"
    env = {**ENGLISH, "TRAYAPP_CREDSTORE": str(store)}
    added = cli(
        "accounts", "add", "--provider", "deepseek", "--label", "A",
        "--base-url", f"http://127.0.0.1:{server.port}/ds-A", "--key-stdin", stdin=key_of("A") + "\n", env=env,
    )  # fmt: skip
    assert added.code == 0, added.err
    account = added.out.split()[-1]
    encrypted = store / f"{account}.api"
    assert encrypted.is_file() and key_of("A").encode() not in encrypted.read_bytes()
    keyring = tmp_path / "test-keyring.json"
    assert not keyring.exists() or key_of("A") not in keyring.read_text()  # not in the keyring either
    answer(server, {"A": "12.00"})
    assert cli("check", env=env).out.startswith("CREDIT OK - 1 account(s) fine | 'A CNY'=12;")

    # What systemd does at the unit's start, for LoadCredentialEncrypted=credit-tray:<store>.
    creds = tmp_path / "run-credentials"
    creds.mkdir(mode=0o700)
    name = f"credit-tray_{account}.api"
    done = subprocess.run(
        [systemd_creds, "decrypt", f"--name={name}", str(encrypted), str(creds / name)], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    served = cli("check", env={**ENGLISH, "CREDENTIALS_DIRECTORY": str(creds)})
    assert served.out.startswith("CREDIT OK - 1 account(s) fine | 'A CNY'=12;"), served.out + served.err

    removed = cli("accounts", "remove", account, env=env)
    assert removed.code == 0 and not encrypted.exists(), removed.err
    assert_no_key_in([cli.config_dir], added.out + added.err + served.out)
