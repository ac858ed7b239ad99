"""Operating-system integration that is not Qt: start at login, first-run notes. No Qt, no network."""
