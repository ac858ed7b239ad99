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
    assert samples == ["demo"] and not catalog.info("demo").needs_network
