"""Where the index lives and the limits that guard it: one place for every setting."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "newsgrep"
ENV_INDEX_DIR = "SEARCH_INDEX_DIR"

# Files larger than this are skipped with a reason: a scraped article is never this big, and reading
# one into memory must not take the machine down. JSON Lines files are streamed, so they get more room.
MAX_ARTICLE_FILE_BYTES = 16 * 1024 * 1024
MAX_JSONL_FILE_BYTES = 2 * 1024 * 1024 * 1024
# A first line longer than this is not a headline (a file that is one long line, say): the title is
# its start, cut at a word, and the whole line stays in the body.
MAX_TITLE_CHARS = 300
# Entities are read from this much of a body: a long feature is about 60,000 characters; beyond that a
# "body" is a dump, and tagging 10 MB would take a quarter of a minute for facets nobody can use.
ENTITY_SCAN_CHARS = 300_000
# Memory per file is bounded by these two (issue #12.11: a 16 MB page of small elements took 1.7 GB,
# 15 MB of random words 1.2 GB, nearly all of it Whoosh's postings of one document):
# - a body is indexed up to this many characters (about 150,000 words; the longest feature is about
#   60,000 characters); all of it is stored, shown and exported;
MAX_INDEXED_BODY_CHARS = 1_000_000
# - an HTML page with more tags than this is no article (the largest of 844 evaluation pages has
#   3,150); each tag costs BeautifulSoup about a kilobyte.
MAX_HTML_TAGS = 100_000
# - trafilatura's second opinion on a page (index/html.py) parses it again: only for pages up to this
#   size (the largest of 844 evaluation pages is 344 KB); a 15 MB page took it to 477 MB.
MAX_SECOND_OPINION_CHARS = 2_000_000
# "Did you mean" word list (index/vocabulary.py): what one article may add to it, and the longest word.
MAX_SUGGEST_WORDS_PER_ARTICLE = 5000
MAX_SUGGEST_WORD_CHARS = 30
# How long a second writer waits for the first before giving up with "index busy".
DEFAULT_LOCK_WAIT_SECONDS = 10.0
# Batches of at least this many files are written by two Whoosh processes (multisegment: no merge at
# the end); measured here on 3,000 Reuters articles, 344 against 279 articles/s for one writer.
BULK_BATCH_MIN_DOCS = 1000
# A JSON Lines record is known by the hash of its line (index/records.py): 8 bytes keep the manifest of
# the 19,043-record Reuters file near half a megabyte, and a changed record goes unnoticed only if its
# new line has the old line's 64-bit hash.
RECORD_HASH_BYTES = 8
# A segment whose share of replaced or deleted documents reaches this is rewritten at the next commit
# (writer.reclaiming_merge): Whoosh's own policy merges only small segments, so an index whose large
# segment had every article replaced kept a full copy of the dead ones (28.9 -> 57.5 MB on Reuters).
RECLAIM_DELETED_SHARE = 0.08
# ... and holds at least this many of them: a rewrite for a few dead articles (a few kilobytes each)
# costs more than it frees, and Whoosh's own policy merges small segments as they accumulate.
RECLAIM_MIN_DELETED = 50
WRITER_LIMIT_MB = 128  # per writer process: three of them during a large build
# Processes that clean and tag articles during a large batch (small batches stay in one process).
WORKERS = max(1, min(4, os.cpu_count() or 1))

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
# Files read record by record (streamed), so they may be as large as MAX_JSONL_FILE_BYTES.
STREAMED_SUFFIXES = JSONL_SUFFIXES | WARC_SUFFIXES
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | STREAMED_SUFFIXES


def suffix_of(name: str) -> str:
    """The lower-case type suffix of a file name: `.warc.gz` counts as one suffix, as crawlers write it."""
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return ".warc.gz"
    return os.path.splitext(lower)[1]


def default_index_dir() -> Path:
    """The per-user data directory, following each platform's convention."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME / "index"


def resolve_index_dir(explicit: str | os.PathLike | None) -> tuple[Path, bool]:
    """The index directory and whether it is the default one (only the default is auto-built).

    Order: --index-dir, then $SEARCH_INDEX_DIR, then the per-user data directory.
    """
    if explicit:
        return Path(explicit).expanduser(), False
    env = os.environ.get(ENV_INDEX_DIR)
    if env:
        return Path(env).expanduser(), False
    return default_index_dir(), True

# Query cost (issue 12 part 10): what one search may ask for, so that no query under the length limit
# runs for minutes. Over a bound a query is refused (exit 2) with what to narrow.
MAX_NESTING = 20  # nested parentheses; deeper ones are refused, not recursed into
MAX_EXPANDED_TERMS = 1000  # words that all the prefixes (pric*) and fuzzy words (peace~) of a query stand for
MAX_BOOSTED_WORDS = 20  # word^N in one query: boosted words are scored by Whoosh's matchers, not in one pass
MAX_EXPANDING_WORDS = 10  # prefixes and fuzzy words in one query (each walks the word list to expand)
MAX_NEAR_PAIRS = 16  # pairs of neighbouring query words whose nearness in a text raises its score
NEAR_WINDOW = 30  # that many of the best matches are rescored for nearness, whatever the page size
MAX_FILTER_VALUES = 50  # --person, --place and --org values together
# Hits with equal scores are listed in the order of their article ids (search/rank.py), which costs a
# stored-field read each (about 0.02 ms on Reuters: a filter-only search whose 594 matches all tie took
# 17 ms in process, against 3-8 ms in Whoosh's order): a tie among more matches keeps Whoosh's order.
MAX_TIE_KEYS = 2000
