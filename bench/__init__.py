"""`make bench`: Credit Tray measured against the least a tray app of its design can be (issue 9).

Run inside the headless desktop session: `scripts/desktop-session -- .venv/bin/python -m bench`.
"""
