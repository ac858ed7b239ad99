"""`python -m trayapp.fetch`: the fetch child, started by the tray for each poll and gone when it is done."""

from .child import child_main, exit_child

if __name__ == "__main__":
    exit_child(child_main())
