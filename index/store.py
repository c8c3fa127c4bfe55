"""The index on disk, as the rest of the code uses it: one import for opening, reading, writing.

The work is done by one module per job: `layout` (which folder is ours, generations, CURRENT, atomic
writes), `lock` (the one writer), `manifest` (what is indexed, and the scan against it), `writer`
(add, rebuild, remove), `live` (opening and reading the live index, statistics), `errors` (what
goes wrong, in one line), `safe_pickle` (how Whoosh's pickles are loaded) and `whoosh_ext` (every
reach past Whoosh's public API, with its one `install()`).
"""

from newsgrep.index.errors import IndexBusy, IndexMissing, IndexProblem
from newsgrep.index.layout import check_meta, current_generation, read_meta
from newsgrep.index.live import open_index, open_whoosh, read_live, stats
from newsgrep.index.manifest import load_manifest
from newsgrep.index.writer import Summary, add, add_seeds, rebuild, remove

__all__ = [
    "IndexBusy", "IndexMissing", "IndexProblem", "Summary", "add", "add_seeds", "check_meta",
    "current_generation", "load_manifest", "open_index", "open_whoosh", "read_live", "read_meta",
    "rebuild", "remove", "stats",
]
