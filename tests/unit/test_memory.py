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


FREEZE = """
import gc, json, weakref
from trayapp.platform.memory import freeze_heap

class Node:
    pass

kept = [Node() for _ in range(5000)]  # alive for the process's life, as a tray's modules and widgets
a, b = Node(), Node()
a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
gone = weakref.ref(a)
del a, b
frozen = freeze_heap()
print(json.dumps({"frozen": frozen, "cycle_freed": gone() is None, "kept_tracked": any(
    o is kept for o in gc.get_objects())}))
"""


def test_freezing_the_heap_frees_its_garbage_first_and_takes_the_rest_out_of_collections() -> None:
    import json
    import subprocess

    # A process of its own: a freeze lasts for the process's life.
    done = subprocess.run([sys.executable, "-c", FREEZE], capture_output=True, text=True, timeout=60, check=True)
    seen = json.loads(done.stdout)
    assert seen["cycle_freed"], "garbage frozen would never be freed"
    assert seen["frozen"] >= 5000
    assert not seen["kept_tracked"], "what lives on is still walked by every full collection"
