from trayapp.entry import tray_arguments


def test_only_tray_starting_arguments_take_the_fast_path() -> None:
    assert tray_arguments([]) == (None, False)
    assert tray_arguments(["--demo"]) == (None, True)
    assert tray_arguments(["--config-dir", "/x y", "--demo"]) == ("/x y", True)
    assert tray_arguments(["--config-dir=/x"]) == ("/x", False)
    for cli_args in (["check"], ["--version"], ["-h"], ["--config-dir"], ["--demo", "check", "--json"], ["--fetcher"]):
        assert tray_arguments(cli_args) is None, cli_args
