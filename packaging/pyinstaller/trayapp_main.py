"""The bundle's entry point: the same `trayapp` command as the wheel's console script."""

import sys

from trayapp.entry import main

if __name__ == "__main__":
    sys.exit(main())
