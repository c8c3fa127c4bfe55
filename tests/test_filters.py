"""Filters: --person/--place/--org matching (search/filters.py resolve_entity), unit by unit and through
`search` on a small corpus written for these tests; --since/--until, names and their combinations on the
seeds; the library's errors naming request fields.

Rules, in order: exact canonical name, alias of the canonical table, accent- and case-insensitive,
surname, prefix; what matched is said in at most a few names; the closest names when nothing matches.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import json_lines, run, search_json

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


# ---------------------------------------------------------------- resolve_entity on the seeds' names

KNOWN = ["Sergei Lavrov", "Vladimir Putin", "Volodymyr Zelensky", "Liz Truss", "Keir Starmer"]


@pytest.mark.parametrize(("asked", "names", "how"), [
    ("Sergei Lavrov", ["Sergei Lavrov"], "exact"),
    ("sergei   lavrov", ["Sergei Lavrov"], "alias"),  # the canonical table knows it in any case and spacing
    ("keir starmer", ["Keir Starmer"], "folded"),  # a name the table does not know: case folded
    ("lav", ["Sergei Lavrov"], "prefix"),
    ("V", ["Vladimir Putin", "Volodymyr Zelensky"], "prefix"),
    ("Boris Johnson", [], "none"),
])
def test_resolve_entity(asked: str, names: list[str], how: str) -> None:
    match = resolve_entity("person", asked, KNOWN)
    assert (match.names, match.how) == (names, how)


def test_resolve_entity_by_surname() -> None:
    match = resolve_entity("person", "Lavrov", KNOWN)
    assert match.names == ["Sergei Lavrov"] and match.how in ("alias", "prefix")


def test_resolve_entity_through_aliases() -> None:
    match = resolve_entity("person", "Zelenskiy", KNOWN)
    assert match.names == ["Volodymyr Zelensky"] and match.how in ("alias", "prefix")
    assert resolve_entity("place", "Kiev", ["Kyiv", "Moscow"]).names == ["Kyiv"]
    assert resolve_entity("org", "Nato", ["NATO"]).names == ["NATO"]


# ---------------------------------------------------------------- dates, names and combinations on the seeds

DATED = "000_a0d3785bc3cde7c2.txt"


def test_date_range_keeps_only_the_dated_article(seeded: dict) -> None:
    _, hits, summary, _ = search_json(seeded, "peace talks", "--since", "2022-03-01", "--until", "2022-03-31")
    assert summary["total"] == 1
    assert Path(hits[0]["path"]).name == DATED and hits[0]["date"] == "2022-03-18"
    _, hits, _, _ = search_json(seeded, "peace talks", "--since", "2022-03", "--until", "2022-03")
    assert len(hits) == 1
    code, _, summary, _ = search_json(seeded, "peace talks", "--since", "2022-03-19")
    assert summary["total"] == 0 and code == 1


def test_person_filter_exact_alias_and_surname(seeded: dict) -> None:
    _, hits, summary, _ = search_json(seeded, "talks", "--person", "Sergei Lavrov")
    exact = {Path(h["path"]).name[:3] for h in hits}
    assert exact == {"001", "002", "004"}
    assert all("Sergei Lavrov" in h["people"] for h in hits)
    _, hits, summary, _ = search_json(seeded, "talks", "--person", "lavrov")
    assert {Path(h["path"]).name[:3] for h in hits} == exact
    assert summary["matched"][0]["names"] == ["Sergei Lavrov"]
    text = run("search", "talks", "--person", "lavrov", env=seeded)
    assert "matched Sergei Lavrov" in text.stderr


def test_filters_combine_and_never_widen(seeded: dict) -> None:
    _, hits, _, _ = search_json(seeded, "peace", "--person", "Sergei Lavrov", "--place", "Malaysia")
    assert [Path(h["path"]).name[:3] for h in hits] == ["002"]
    code, hits, summary, _ = search_json(seeded, "peace", "--person", "Nobody Atall")
    assert code == 1 and summary["total"] == 0 and summary["matched"][0]["how"] == "none"


def test_filter_only_search_without_words(seeded: dict) -> None:
    code, hits, summary, _ = search_json(seeded, "--org", "nato")
    assert code == 0 and summary["total"] == 5


def test_the_library_names_request_fields_not_flags(tmp_path: Path) -> None:
    """A program calling run_search gets field names; only the CLI speaks of its flags (#11.6)."""
    import datetime as dt

    from newsgrep.search.query import QueryError
    from newsgrep.search.results import SearchRequest, run_search

    request = SearchRequest(words="peace", since=dt.date(2022, 4, 1), until=dt.date(2022, 3, 1))
    with pytest.raises(QueryError) as caught:
        run_search(tmp_path, request)
    assert str(caught.value) == "since 2022-04-01 is after until 2022-03-01"
    assert caught.value.render({"since": "--from", "until": "--to"}) == "--from 2022-04-01 is after --to 2022-03-01"
    with pytest.raises(QueryError, match="^people needs a name$"):
        run_search(tmp_path, SearchRequest(words="peace", people=[" "]))
