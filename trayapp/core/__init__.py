"""The core: models, rules and errors. Imports no Qt and does no I/O."""
