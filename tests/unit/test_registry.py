"""The registry is the one list of provider modules: each declares its INFO, PROVIDER and JA, and the
catalog is gathered from them (OpenAI's entry is still written in the catalog)."""

from __future__ import annotations

from trayapp.providers import catalog, registry


def test_every_registered_module_declares_itself_and_the_catalog_is_gathered_from_them() -> None:
    modules = registry.modules()
    assert len(modules) == len(registry.MODULES) == len(set(registry.MODULES))
    for module in modules:
        assert module.INFO.module == module.__name__
        assert module.PROVIDER.info is module.INFO
        assert isinstance(module.JA, dict)
        assert catalog.info(module.INFO.name) is module.INFO
        assert catalog.load(module.INFO.name) is module.PROVIDER
    assert list(catalog.CATALOG) == [m.INFO.name for m in modules]


def test_the_sample_provider_is_a_flag_not_a_name() -> None:
    samples = [info.name for info in catalog.CATALOG.values() if info.sample]
    assert samples == ["demo"] == sorted(registry.SAMPLES) and not catalog.info("demo").needs_network
    assert catalog.offered() == [n for n in registry.PROVIDERS if n != "demo"]


def run_python(code: str) -> str:
    """`code` in a new interpreter (this one has imported every provider already): what it prints."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


def test_a_provider_module_is_imported_when_its_entry_is_used_not_before() -> None:
    """The tray, `check` and the fetch child load the providers of their accounts only: the names are known
    from the registry, and asking one entry imports that module alone."""
    out = run_python(
        "import sys\n"
        "from trayapp.providers import catalog, registry\n"
        "loaded = lambda: sorted(n for n in registry.MODULES if f'trayapp.providers.{n}' in sys.modules)\n"
        "print(loaded(), 'zhipu' in catalog.CATALOG, 'nope' in catalog.CATALOG, len(catalog.CATALOG))\n"
        "print(catalog.info('deepseek').display_name, loaded())\n"
        "print(len(list(catalog.CATALOG.values())), len(loaded()))\n"
    )
    first, second, third = out.splitlines()
    assert first == f"[] True False {len(registry.PROVIDERS)}"
    assert second == "DeepSeek ['deepseek']"
    assert third == f"{len(registry.PROVIDERS)} {len(registry.MODULES)}"


def test_a_registry_line_that_names_the_wrong_module_is_refused_when_used() -> None:
    out = run_python(
        "from trayapp.providers import catalog, registry\n"
        "registry.PROVIDERS['deepseek'] = 'moonshot'\n"
        "try:\n"
        "    catalog.info('deepseek')\n"
        "except RuntimeError as exc:\n"
        "    print(exc)\n"
    )
    assert "trayapp.providers.moonshot: INFO names 'moonshot'" in out and "the registry 'deepseek'" in out


def test_a_providers_japanese_shows_whether_its_module_was_imported_before_or_after_the_catalog() -> None:
    """A provider's sentence (made in the fetch child, or kept from before a restart) renders in Japanese in a
    process that had built its catalog before that provider was imported, or that never imported it."""
    core_text = "credit is low"  # any core text: the catalog is built before a provider is imported
    assert run_python(f"from trayapp.core.i18n import translate; print(translate({core_text!r}, 'ja') != '')")
    template = "balance per currency, granted vs topped-up (/user/balance)"  # deepseek's own (its JA)
    expected = "通貨ごとの残高、付与分とチャージ分の内訳（/user/balance）"
    script = (
        "import sys\n"
        "from trayapp.core.i18n import translate\n"
        "from trayapp.providers import catalog\n"
        f"translate({core_text!r}, 'ja')\n"
        "{between}"
        f"print(translate({template!r}, 'ja'))\n"
        "print('trayapp.providers.zhipu' in sys.modules)\n"
    )
    # imported after the catalog was built: a rebuild finds it, no other provider is imported
    assert run_python(script.format(between="catalog.info('deepseek')\n")).splitlines() == [expected, "False"]
    # never imported: the miss imports every provider's texts, once
    assert run_python(script.format(between="")).splitlines() == [expected, "True"]
