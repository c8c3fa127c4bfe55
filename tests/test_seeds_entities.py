"""Entities of the five seed articles against the shared gold file: names present under their canonical
form, no listed non-entity anywhere among the facets, every listed alias folded.

Bodies are cleaned first with the product's cleaner (index/clean.py), as the indexer does: the raw seeds
still carry teasers and glued-on stories whose names are not the article's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsgrep.index.canonical import canonicalize
from newsgrep.index.entities import article_entities
from newsgrep.index.model import Entities

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
GOLD = Path(__file__).parents[1].parent / "shared" / "seeds-gold.json"
_DATE = re.compile(r"^\s*date \d{4}-\d{2}-\d{2} ")


def read_seed(path: Path) -> tuple[str, str]:
    """First non-blank line is the title (without a leading `date YYYY-MM-DD `); the rest is the body."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    return _DATE.sub("", lines[first]).strip(), "\n".join(lines[first + 1:])


def gold() -> dict:
    if not GOLD.is_file():
        pytest.skip(f"no gold file at {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))


def cleaner():
    """The colleague-owned cleaner, or a skip saying why it cannot be used."""
    try:
        from newsgrep.index.clean import clean_text
    except ImportError as exc:
        pytest.skip(f"index.clean.clean_text is not available ({exc}); seed bodies need cleaning first")
    try:
        clean_text("Some text.\nMore text here.", "Title")
    except Exception as exc:
        pytest.skip(f"index.clean.clean_text does not work yet ({exc!r})")
    return clean_text


def seed_entities() -> dict[str, Entities]:
    clean_text = cleaner()
    out = {}
    for name in gold()["articles"]:
        title, body = read_seed(SEEDS / name)
        out[name] = article_entities(title, clean_text(body, title))
    return out


def facets(ents: Entities) -> set[str]:
    return set(ents.people) | set(ents.places) | set(ents.orgs)


@pytest.mark.parametrize("name", sorted(json.loads(GOLD.read_text(encoding="utf-8"))["articles"])
                         if GOLD.is_file() else ["(no gold file)"])
def test_listed_entities_present(name: str) -> None:
    expected = gold()["articles"][name]["entities"]
    ents = seed_entities()[name]
    for kind, names in expected.items():
        missing = set(names) - set(getattr(ents, kind))
        assert not missing, f"{name}: {kind} missing {sorted(missing)}; got {getattr(ents, kind)}"


def test_no_listed_non_entity_in_any_facet() -> None:
    bad = set(gold()["not_entities"])
    for name, ents in seed_entities().items():
        assert not bad & facets(ents), f"{name}: {sorted(bad & facets(ents))}"


def test_aliases_are_folded() -> None:
    aliases = gold()["aliases"]
    surface = {a for forms in aliases.values() for a in forms}
    for name, ents in seed_entities().items():
        seen = facets(ents)
        assert not surface & seen, f"{name}: unfolded {sorted(surface & seen)}"
    for canonical, forms in aliases.items():
        assert {canonicalize(f) for f in forms} == {canonical}
