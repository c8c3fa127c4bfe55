"""The five seed articles against the shared gold file: what must go, what must stay."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsgrep.index.clean import clean_text

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).parents[1].parent / "shared" / "seeds-gold.json"
_DATE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}(?:\s+|$)", re.IGNORECASE)


def read_seed(path: Path) -> tuple[str, str]:
    """Title and body as the real reader splits them: first non-blank line is the title, without
    a leading `date YYYY-MM-DD`; the rest is the body."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    title = " ".join(_DATE_PREFIX.sub("", lines[first]).split())
    return title, "\n".join(lines[first + 1:])


def gold() -> dict:
    if not GOLD.is_file():
        pytest.skip(f"no gold file at {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))["articles"]


SEED_NAMES = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))


@pytest.fixture(params=SEED_NAMES)
def seed(request: pytest.FixtureRequest) -> tuple[dict, str, str]:
    expected = gold().get(request.param)
    if expected is None:
        pytest.skip(f"{request.param} has no gold entry")
    title, body = read_seed(ROOT / "seeds" / request.param)
    return expected, title, clean_text(body, title)


def test_seed_files_and_gold_agree() -> None:
    assert set(gold()) == set(SEED_NAMES)


def test_title_matches_gold(seed: tuple[dict, str, str]) -> None:
    expected, title, _ = seed
    assert title == expected["title"]


def test_drop_lines_are_gone(seed: tuple[dict, str, str]) -> None:
    expected, _, cleaned = seed
    lines = {line.strip() for line in cleaned.split("\n")}
    assert [d for d in expected["drop"] if d.strip() in lines] == []


def test_drop_fragments_are_gone(seed: tuple[dict, str, str]) -> None:
    expected, _, cleaned = seed
    assert [f for f in expected["drop_fragments"] if f in cleaned] == []


def test_keep_prefixes_survive(seed: tuple[dict, str, str]) -> None:
    expected, _, cleaned = seed
    lines = cleaned.split("\n")
    assert [k for k in expected["keep"] if not any(line.startswith(k) for line in lines)] == []


def test_cleaning_a_seed_twice_changes_nothing(seed: tuple[dict, str, str]) -> None:
    _, title, cleaned = seed
    assert clean_text(cleaned, title) == cleaned
