"""For monitoring systems and status bars: `trayapp check` as a Monitoring Plugin (nagios.py), Prometheus
metrics (metrics.py) served by the headless `trayapp serve` (serve.py), and `trayapp status` for Waybar,
i3blocks and the like (statusbar.py, which imports as little as it can: a bar runs it every few seconds)."""
