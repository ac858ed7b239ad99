import sys

import pytest

from trayapp.platform.memory import release_free_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux-only")
def test_freed_memory_goes_back_to_the_os() -> None:
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1])

    blocks = [bytearray(4096) for _ in range(20000)]  # ~80 MB in small blocks
    pin = bytearray(4096)  # above them on the heap: free() alone cannot shrink the heap past it
    grown = rss()
    del blocks
    assert rss() > grown - 5000, "malloc kept the freed pages"
    assert release_free_memory()
    assert rss() < grown - 5000, "most of the freed pages were returned"
    del pin
