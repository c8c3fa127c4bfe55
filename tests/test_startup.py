"""Units of the search front end that need no index: entity resolution, query checks, snippet marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgrep.index.schema import build_schema
from newsgrep.search.filters import resolve_entity
from newsgrep.search.query import QueryError, parse_query
from newsgrep.search.snippets import END, START, lead, plain, split_marks

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


@pytest.mark.parametrize("text", ["a*", "*x", "?b", "x" * 1001])
def test_refused_queries(text: str) -> None:
    with pytest.raises(QueryError):
        parse_query(text, build_schema())


@pytest.mark.parametrize("text", ["hash:abc", "oil url:reuters"])
def test_stored_only_fields_are_refused_by_name(text: str) -> None:
    with pytest.raises(QueryError, match=r"^(hash|url): is not a field you can search"):
        parse_query(text, build_schema())
    assert str(parse_query("title:oil", build_schema())) == "title:oil"


@pytest.mark.parametrize("text", ["", "*", "  * ", "\x00\x1b"])
def test_empty_queries_match_everything(text: str) -> None:
    assert type(parse_query(text, build_schema())).__name__ == "Every"


def test_plain_words_are_or_grouped() -> None:
    q = parse_query("peace talks", build_schema())
    assert type(q).__name__ == "Or"


@pytest.mark.parametrize("text", ["putin NOT truss", "putin talks NOT truss NOT lavrov"])
def test_not_inside_an_or_group_excludes(text: str) -> None:
    assert type(parse_query(text, build_schema())).__name__ == "AndNot"


def test_not_alone_still_means_everything_else() -> None:
    assert type(parse_query("NOT truss", build_schema())).__name__ == "Not"


def test_split_marks_and_plain() -> None:
    marked = f"the {START}peace{END} and {START}talks{END}"
    assert split_marks(marked) == [("the ", False), ("peace", True), (" and ", False), ("talks", True)]
    assert plain(marked) == "the peace and talks"


def test_lead_cuts_at_a_word() -> None:
    text = "word " * 100
    out = lead(text, 50)
    assert out.endswith(" …") and len(out) <= 52 and "wor …" not in out
    assert lead("short text") == "short text"


WORD_LISTS = ["oil prices", "oil", "the oil", "oil oil", "Zelenskiy Kyiv 2022", "a b c oil", "ÉTÉ façade",
              "x1 2b", "OIL Prices", "peace talks in Istanbul", "ничего не будет", "東京 株価", "Ω 1987",
              "running ran runs", "U2 B52 3M", "and or not", "the", "I"]
NOT_WORDS = ["oil AND gas", "oil OR gas", "NOT oil", "oil ANDNOT gas", '"oil prices"', "oil*", "oil~",
             "-oil gas", "+oil", "title:oil", "oil_price", "o'neill", "(oil)", "U.S. trade", "cease-fire"]


def _parser_query(text: str):
    """What Whoosh's own parser (title and body, OR grouping) makes of `text`; NullQuery for no words."""
    from whoosh import qparser

    from newsgrep.index.schema import TEXT_FIELDS

    return qparser.MultifieldParser(list(TEXT_FIELDS), build_schema(), group=qparser.OrGroup).parse(text)


@pytest.mark.parametrize("text", WORD_LISTS)
def test_plain_words_are_built_as_whooshs_parser_builds_them(text: str) -> None:
    """Plain words make the query Whoosh's parser makes of them (the one-pass ranking relies on it),
    once bare stop words are left out of a query that has other words (search/query.py)."""
    from whoosh import query

    from newsgrep.index.schema import STOP_WORDS

    kept = [w for w in text.split() if w.lower() not in STOP_WORDS or (w.isupper() and len(w) > 1)]
    expected = _parser_query(" ".join(kept) if kept else text)
    if expected is query.NullQuery:
        with pytest.raises(QueryError, match="no words"):
            parse_query(text, build_schema())
    else:
        assert parse_query(text, build_schema()) == expected


OPERATORS_READ = {  # what each is read as: operators where the syntax is unambiguous, else words
    "oil AND gas": "((title:oil OR body:oil) AND (title:ga OR body:ga))",
    "oil OR gas": "(title:oil OR body:oil OR title:ga OR body:ga)",
    "NOT oil": "NOT (title:oil OR body:oil)",
    "oil ANDNOT gas": "(title:oil OR body:oil OR title:andnot OR body:andnot OR title:ga OR body:ga)",
    '"oil prices"': '(title:"oil price" OR body:"oil price")',
    "oil*": "(title:oil* OR body:oil*)",
    "oil~": "(title:oil~ OR body:oil~)",
    "-oil gas": "((title:ga OR body:ga) ANDNOT (title:oil OR body:oil))",
    "+oil": "(title:oil OR body:oil)",
    "title:oil": "title:oil",
    "oil_price": "(title:oil_pric OR body:oil_pric)",
    "o'neill": "(title:o OR title:neill OR body:o OR body:neill)",
    "(oil)": "(title:oil OR body:oil)",
    "U.S. trade": "(title:u. OR body:u. OR title:trade OR body:trade)",
    "cease-fire": "(title:ceas OR title:fire OR body:ceas OR body:fire)",
}


@pytest.mark.parametrize("text", NOT_WORDS)
def test_operators_parse(text: str) -> None:
    assert str(parse_query(text, build_schema())) == OPERATORS_READ[text]


def test_a_search_imports_no_module_it_does_not_use(seeded: dict) -> None:
    """The console script's start-up (cli/startup.py) keeps Whoosh and typer from importing what a
    search never uses; each module is still there, whole, for whoever imports it later."""
    import subprocess
    import sys

    code = """
import sys
sys.argv = ["search", "peace", "--json", "--index-dir", sys.argv[1]]
from newsgrep.cli.startup import light_imports
light_imports()  # what the `search` script does first
from newsgrep.cli.search_cmd import app
try:
    app(standalone_mode=False)
except SystemExit:
    pass
unused = ("hashlib", "urllib.request", "whoosh.lang.morph_en", "html", "calendar", "subprocess", "difflib",
          "gettext", "shellingham", "qparser")
print([name for name in sys.modules if name in unused or name.endswith(".qparser")])
import hashlib, html, difflib, calendar, subprocess, gettext, urllib.request
assert hashlib.sha256(b"x").hexdigest().startswith("2d711642")
assert html.unescape("&lt;") == "<" and difflib.get_close_matches("limt", ["limit"]) == ["limit"]
assert calendar.monthrange(2024, 2)[1] == 29 and subprocess.run(["true"]).returncode == 0
assert gettext.gettext("x") == "x" and callable(urllib.request.urlopen)
from whoosh.query import terms
assert "rendering" in set(terms.variations("render"))
"""
    done = subprocess.run([sys.executable, "-c", code, seeded["SEARCH_INDEX_DIR"]], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert '"total": ' in lines[-2], done.stdout  # the search ran and found articles
    assert lines[-1] == "[]", done.stdout


@pytest.mark.parametrize(("typed", "meant"), [
    ("cease-fire", '"cease fire"'),
    ("title:cease-fire", 'title:"cease fire"'),
    ("U.S.-Japan talks", '"U.S. Japan" talks'),
    ("Covid-19 vaccine", '"Covid 19" vaccine'),
    ("Rad53-dependent", '"Rad53 dependent"'),
])
def test_hyphenated_words_match_as_phrases_and_rank_by_their_words(typed: str, meant: str) -> None:
    """A hyphen inside a word joins, as in the indexed text (Whoosh's parser read it as NOT): an
    article must hold the phrase (written with the hyphen or apart); the ranking scores its words."""
    from newsgrep.search.query import parse

    schema = build_schema()
    hyphenated, quoted = parse(typed, schema), parse(meant, schema)
    assert hyphenated.groups == (quoted.groups or [quoted.query]) and hyphenated.need == len(hyphenated.groups)
    assert {t for _, t in hyphenated.query.all_terms()} == {t for _, t in quoted.query.all_terms()}
    assert not any(type(q).__name__ == "Phrase" for q in hyphenated.query.leaves())


@pytest.mark.parametrize(("typed", "meant"), [
    ("-cease-fire talks", 'talks -"cease fire"'),
    ('"russia-ukraine war"', '"russia ukraine war"'),
])
def test_hyphenated_words_are_phrases_in_exclusions_and_quotes(typed: str, meant: str) -> None:
    assert parse_query(typed, build_schema()) == parse_query(meant, build_schema())


def test_a_leading_hyphen_still_excludes() -> None:
    assert repr(parse_query("talks -smokescreen", build_schema())).startswith("AndNot(")


def test_and_binds_tighter_than_or() -> None:
    """Keeping explicit OR groups apart (see make_parser) leaves Whoosh's precedence as it was."""
    q = parse_query("oil AND gas OR coal", build_schema())
    assert type(q).__name__ == "Or" and type(q.subqueries[0]).__name__ == "And"


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


def test_importing_the_packages_does_nothing_on_the_side() -> None:
    """The packages' __init__s import nothing: the start-up trick is the console scripts' alone."""
    import subprocess
    import sys

    code = ("import sys, newsgrep.index, newsgrep.search, newsgrep.cli\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'typer', 'click')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
