"""Providers: one module per provider, found through the catalog, imported only when used."""
