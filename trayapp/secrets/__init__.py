"""Keys: only in memory (wrapped) and in the OS secret store."""
