"""`make bench`: Credit Tray measured against the least a tray app of its design can be.

Run inside the headless desktop session: `scripts/desktop-session -- .venv/bin/python -m bench`.
"""
