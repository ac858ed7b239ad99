"""The Qt side: tray, icon, menu, windows, dialogs, notifications. The only package that touches widgets."""
