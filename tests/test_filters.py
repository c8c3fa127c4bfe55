"""--person/--place/--org matching (search/filters.py resolve_entity), unit by unit and through the
installed `search` on a small corpus written for these tests.

Rules, in order: exact canonical name, alias of the canonical table, accent- and case-insensitive,
surname, prefix; what matched is said in at most a few names; the closest names when nothing matches.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import json_lines, run

from newsgrep.search.filters import fold, resolve_entity

PEOPLE = ["James Baker", "Baker", "Paul Volcker", "Volcker", "Sergei Lavrov", "Anna Bakerson"]


def test_exact_canonical_name_first() -> None:
    m = resolve_entity("person", "James Baker", PEOPLE)
    assert (m.how, m.names) == ("exact", ["James Baker"])


def test_alias_of_the_canonical_table() -> None:
    m = resolve_entity("place", "Kiev", ["Kyiv", "Kharkiv"])
    assert (m.how, m.names) == ("alias", ["Kyiv"])
    m = resolve_entity("org", "Securities and Exchange Commission", ["SEC", "Federal Reserve"])
    assert (m.how, m.names) == ("alias", ["SEC"])


def test_accent_and_case_insensitive() -> None:
    assert fold("São Paulo") == fold("sao paulo") == "sao paulo"
    m = resolve_entity("place", "São Paulo", ["Sao Paulo", "Santos"])
    assert (m.how, m.names) == ("folded", ["Sao Paulo"])
    m = resolve_entity("person", "james BAKER", PEOPLE)
    assert (m.how, m.names) == ("folded", ["James Baker"])


def test_surname_before_prefix_and_never_a_name_that_only_begins_with_it() -> None:
    m = resolve_entity("person", "baker", [*PEOPLE, "Baker International"])
    assert (m.how, m.names) == ("surname", ["Baker", "James Baker"])


def test_a_company_named_with_its_descriptor_finds_the_short_value() -> None:
    """The facets count "Ford Motor Co" as Ford (index/entities.py DESCRIPTORS): --org "Ford Motor" finds it."""
    known = ["Ford", "Ford Motor Credit", "Moody's", "Fordham University"]
    assert resolve_entity("org", "Ford Motor", known).names == ["Ford"]
    assert resolve_entity("org", "moody's investors service", known).names == ["Moody's"]
    assert resolve_entity("org", "Ford Motor Credit", known).names == ["Ford Motor Credit"]


def test_prefix_when_no_surname_matches() -> None:
    m = resolve_entity("person", "volck", PEOPLE)
    assert (m.how, m.names) == ("prefix", ["Paul Volcker", "Volcker"])


def test_closest_names_when_nothing_matches() -> None:
    m = resolve_entity("person", "volkcer", PEOPLE)
    assert m.how == "none" and m.names == []
    assert m.suggestions[0] in ("Paul Volcker", "Volcker") and "Paul Volcker" in m.suggestions
    assert resolve_entity("person", "zzqx", PEOPLE).suggestions == []


def test_many_matches_are_summed_up() -> None:
    banks = [f"Bank {i:03d}" for i in range(300)]
    m = resolve_entity("org", "bank", banks)
    assert m.how == "prefix" and len(m.names) == 300
    assert m.describe() == "Bank 000, Bank 001, Bank 002 and 297 more"


ARTICLES = {
    "baker.txt": "date 1987-03-02 Baker sees dollar talks\nTreasury Secretary James Baker said on Monday "
                 "that talks would go on. Baker added that Paul Volcker agreed.\n",
    "company.txt": "date 1987-03-03 Oil service results\nBaker International Corp said its quarterly "
                   "profit rose. The company said demand was firm.\n",
    "brazil.txt": "date 1987-03-04 Strike in Brazil\nPetrol station owners in São Paulo said they would "
                  "strike on Monday, the union said.\n",
    "banks.txt": "date 1987-03-05 Banks lend more\nBank of Boston, Bank of Tokyo and Bank of England said "
                 "lending rose.\n",
}


@pytest.fixture
def small(tmp_path: Path, index_env: dict) -> dict:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert run("search-index", "add", str(folder), env=index_env).returncode == 0
    return index_env


def test_person_baker_finds_the_minister_not_the_company(small: dict) -> None:
    out = run("search", "said", "--person", "baker", "--json", env=small)
    lines = json_lines(out.stdout)
    paths = {Path(hit["path"]).name for hit in lines[:-1]}
    assert paths == {"baker.txt"}
    assert lines[-1]["matched"][0]["names"] == ["James Baker"]
    assert "Baker International" in run("search", "profit", "--json", env=small).stdout


def test_misspelt_person_offers_the_closest_name(small: dict) -> None:
    out = run("search", "said", "--person", "volkcer", env=small)
    assert out.returncode == 1
    assert "no person in the index matches 'volkcer'; closest: Paul Volcker" in out.stderr


def test_place_with_accents_finds_the_plain_spelling(small: dict) -> None:
    for asked in ("São Paulo", "sao paulo", "Sao Paulo"):
        out = run("search", "strike", "--place", asked, "--json", env=small)
        assert out.returncode == 0, out.stderr
        assert [Path(h["path"]).name for h in json_lines(out.stdout)[:-1]] == ["brazil.txt"]


def test_what_matched_is_said_in_a_few_names(small: dict) -> None:
    out = run("search", "lending", "--org", "bank", env=small)
    assert out.returncode == 0
    line = out.stderr.strip().splitlines()[0]
    assert line == "search: --org 'bank' matched Bank of Boston, Bank of England, Bank of Tokyo"
