"""Files the app writes: settings and accounts (no secrets), state, logs. Atomic writes throughout."""
