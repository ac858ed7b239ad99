"""Credit Tray: remaining AI API credit, expiry and second-account mix-ups, in the system tray."""

__version__ = "0.1.0"
APP_NAME = "Credit Tray"
APP_ID = "credit-tray"
