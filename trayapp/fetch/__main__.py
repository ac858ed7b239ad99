"""`python -m trayapp.fetch`: the fetch child, started by the tray for each poll and gone when it is done."""

import gc

# The child's start makes ~100k objects (its modules) and no garbage worth a collection, which would walk them
# all, again and again; child_main moves them out of the collector's way once loaded (gc.freeze) and enables it.
gc.disable()

from .child import child_main, exit_child  # noqa: E402

if __name__ == "__main__":
    exit_child(child_main())
