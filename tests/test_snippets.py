"""Snippets: our highlighter (search/snippets.py QuickHighlighter) against Whoosh's own, over real
(query, article) pairs of the seeds and a few hundred Reuters articles, over generated texts with
every quirk of Whoosh's fragmenter, and the cases that must go to Whoosh's own path."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED, index_of, run_script
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import FAST
from whoosh import highlight

from newsgrep.index.store import open_index
from newsgrep.search import snippets
from newsgrep.search.query import parse
from newsgrep.search.results import SearchRequest, run_search

REUTERS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
REUTERS_STEP = 60  # every 60th record: 318 articles over the whole corpus


def whooshs() -> highlight.Highlighter:
    """Whoosh's highlighter with the settings snippets used before QuickHighlighter (and still does)."""
    return highlight.Highlighter(fragmenter=highlight.ContextFragmenter(maxchars=snippets.LEAD_CHARS,
                                                                        surround=snippets.SURROUND),
                                 scorer=snippets.EarlierFirstScorer(), formatter=snippets.MarkFormatter())


def both(results, hit, theirs=None, ours=None, **kwargs) -> tuple[str, str]:
    """hit.highlights("body", **kwargs) by Whoosh's highlighter and by ours (new ones unless given)."""
    results.highlighter = theirs or whooshs()
    expected = hit.highlights("body", **kwargs)
    results.highlighter = ours or snippets.QuickHighlighter()
    return expected, hit.highlights("body", **kwargs)


def both_snippets(results, hit, theirs=None, ours=None) -> tuple[str, str]:
    """snippets.snippet(hit) as a search shows it, with Whoosh's highlighter and with ours."""
    results.highlighter = theirs or whooshs()
    expected = snippets.snippet(hit)
    results.highlighter = ours or snippets.QuickHighlighter()
    return expected, snippets.snippet(hit)


def quick(results) -> bool:
    """Whether our highlighter takes its own path (not Whoosh's) for these results' body."""
    return snippets.QuickHighlighter()._plan(results, "body", 1) is not None


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the five seeds and every REUTERS_STEP-th Reuters article, as the corpus comes."""
    if not REUTERS.is_file():
        pytest.skip(f"no Reuters corpus at {REUTERS}")
    folder = tmp_path_factory.mktemp("snippet-news") / "articles"
    shutil.copytree(SEEDS, folder / "seeds", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    with REUTERS.open(encoding="utf-8") as src, (folder / "reuters.jsonl").open("w", encoding="utf-8") as dst:
        dst.writelines(line for i, line in enumerate(src) if i % REUTERS_STEP == 0)
    env = {"SEARCH_INDEX_DIR": str(folder.parent / "index")}
    result = run_script("search-index", "add", str(folder), env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return Path(env["SEARCH_INDEX_DIR"])


FIXED_QUERIES = [
    "oil prices", "interest rates", '"trade deficit"', "coffee", "gold", "bank", "wheat exports", "dollar yen",
    '"net income"', '"crude oil"', "pric*", "expor*", "peace~", "reagan~2", "oil -opec", "NOT oil", "title:oil",
    "body:bank", "oil^3 gas", "cease-fire", "U.S.", "mln dlrs", "3.5", "the", "said", "a", "s", "US", "Ukraine",
    "Zelensky", "Putin talks", "peace talks", "Sao Paulo", "São Paulo", "ﬁnance", "ＯＩＬ", "what did the "
    "treasury say about interest rates and the dollar", "(oil OR gas) AND prices", "+oil +prices -opec",
    '"oil prices"~3', "Rad53-dependent", "shares", "stake", "record date", "1987",
]


def _title_queries(index: Path, every: int = 6) -> list[str]:
    """Queries made of the articles' own titles: their first words, a phrase of two, a prefix and,
    for every fourth title (Whoosh's highlighter expands a fuzzy word anew for each hit: slow), a
    fuzzy word, as a reader would type them after skimming a headline."""
    ix = open_index(index)
    queries = []
    with ix.searcher() as searcher:
        for n, fields in enumerate(searcher.all_stored_fields()):
            words = [w.strip(".,;:'\"()") for w in fields.get("title", "").split()]
            words = [w for w in words if len(w) >= 3 and w.isalpha()]
            if n % every or len(words) < 2:
                continue
            queries += [" ".join(words[:3]), f'"{words[0]} {words[1]}"', f"{words[1][:3]}*", words[-1]]
            if n % (4 * every) == 0:
                queries.append(f"{words[0]}~")
    return queries


def test_same_snippets_as_whoosh_on_news(news: Path) -> None:
    """The first 10 hits of each query (Whoosh's ranking: any article will do): the snippet as a
    search shows it (two fragments) and the raw highlights with three are Whoosh's, to the character,
    and our own path made them."""
    queries = FIXED_QUERIES + _title_queries(news)
    ix = open_index(news)
    pairs = answered = 0
    with ix.searcher() as searcher:
        for words in queries:
            results = searcher.search(parse(words, ix.schema).query, limit=10)
            if len(results):
                assert quick(results), words
                answered += 1
            theirs, ours = whooshs(), snippets.QuickHighlighter()
            for hit in results:
                expected, got = both_snippets(results, hit, theirs, ours)
                assert got == expected, (words, hit["id"])
                expected, got = both(results, hit, theirs, ours, top=3)
                assert got == expected, (words, hit["id"])
                pairs += 1
    assert len(queries) > 200 and answered > 200 and pairs > 1500, (len(queries), answered, pairs)


def test_search_snippets_are_whooshs(news: Path) -> None:
    """The whole search (run_search) shows for each hit what Whoosh's highlighter shows for it, also
    past page 1, with filters, date order and no words at all (the lead of each article)."""
    requests = [SearchRequest(words="oil prices"), SearchRequest(words="trade", page=2),
                SearchRequest(words='"interest rates"', sort="date"), SearchRequest(words="pric*", limit=20),
                SearchRequest(words="peace", places=["Ukraine"]), SearchRequest(words="")]
    ix = open_index(news)
    with ix.searcher() as searcher:
        for request in requests:
            response = run_search(news, request)
            assert response.hits, request
            for shown in response.hits:
                docnum = searcher.document_number(id=shown.id)
                results = searcher.search(parse(request.words, ix.schema).query, filter={docnum}, limit=1) \
                    if request.words else None
                if results is None:
                    assert shown.snippet == snippets.lead(searcher.stored_fields(docnum)["body"])
                    continue
                (hit,) = results
                results.highlighter = whooshs()
                assert shown.snippet == snippets.snippet(hit), (request, shown.id)


# ---------------------------------------------------------------- generated texts: every quirk

VOCABULARY = {
    "v1": ("Oil and prices", "Oil prices rose. The U.S. said OPEC's oil output at 3.5 mln bpd was priced high; "
           "Öl café naïve Zürich ﬁnance İstanbul under_score x_1 São Paulo 東京 prices."),
}
# Pieces of text: words of the query in several forms and cases (they stem to the query's terms),
# other words, dotted words and numbers, long words (past the 40 characters of context and the 200
# of a fragment), runs of punctuation longer than the context, line breaks and tabs, non-ASCII words.
PIECES = ["oil", "Oil", "OIL", "oils", "oiled", "prices", "Price", "priced", "pricing", "U.S.", "U.S", "us",
          "3.5", "mln", "bpd", "OPEC's", "the", "a", "and", "said", "cafe", "café", "Café", "cafe\u0301",
          "Öl", "öl", "naïve", "Zürich", "zurich", "ﬁnance", "finance", "İstanbul", "istanbul", "東京",
          "under_score", "x_1", "São", "Paulo", "oil." * 3, "oil" * 30, "x" * 45, "prices" * 40, "y" * 201,
          "-" * 90, "." * 3, "..", ".", ",", " ", "  ", "\n", "\t", "—", "’", "(", ")", "%", "oil.prices",
          "a.oil", "oil_", "_oil", "\u00a0", "0", "9oil"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=400).map("".join) | st.text(
    alphabet=st.sampled_from(list("oilpricesOIL .,-\n3_éÖ")), max_size=600)
QUERIES = ["oil prices", "oil", "prices", "cafe", "öl finance", "zurich istanbul", "U.S. 3.5", "under_score x_1",
           "oil*", "pric*", "Sao Paulo", "东京 oil", "the a and"]


@pytest.fixture(scope="module")
def vocab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index holding every word of PIECES, so the queries' terms exist (Whoosh marks only those)."""
    env = index_of(tmp_path_factory.mktemp("snippet-vocab"), VOCABULARY)
    return Path(env["SEARCH_INDEX_DIR"])


def _search(index: Path, words: str):
    ix = open_index(index)
    searcher = ix.searcher()
    return searcher, searcher.search(parse(words, ix.schema).query, limit=1)


@settings(parent=FAST, max_examples=400)
@given(text=TEXTS, words=st.sampled_from(QUERIES), top=st.integers(1, 4))
def test_same_as_whoosh_on_generated_texts(vocab: Path, text: str, words: str, top: int) -> None:
    searcher, results = _search(vocab, words)
    with searcher:
        (hit,) = results
        assert quick(results)
        theirs, ours = both(results, hit, text=text, top=top)
        assert ours == theirs


@pytest.mark.parametrize("text", [
    # a match longer than a fragment: Whoosh leaves it unmarked (and so do we)
    "oil " + "oil" * 70 + " prices and more words after it",
    # the context before runs through punctuation longer than the window we read back first
    "word " * 20 + "-" * 120 + " oil prices " + "tail " * 30,
    # matches so dense that the 200 characters of a fragment end on a match, which stays unmarked
    " ".join(["oil prices"] * 60),
    # a countdown that ends on exactly 0: the next word is a fragment of its own
    "aa bb cc dd ee oil " + "abcde " * 7 + "oil ff gg " + "hh " * 30 + "oil",
    "oil " + "abcd " * 9 + "oil " + "zz " * 40,
    # past Whoosh's charlimit (32,768 characters) nothing is read; the word crossing it ends a fragment
    "filler " * 4677 + "oil" + " prices" * 10,
    "filler " * 4680 + "oil prices " * 5,
    "filler " * 4681 + " oil" + "x" * 40,
    "",
    "no match here",
])
def test_same_as_whoosh_on_quirks(vocab: Path, text: str) -> None:
    searcher, results = _search(vocab, "oil prices")
    with searcher:
        (hit,) = results
        for top in (1, 2, 3):
            theirs, ours = both(results, hit, text=text, top=top)
            assert ours == theirs, top


def test_the_match_that_fills_a_fragment_is_shown_unmarked(vocab: Path) -> None:
    """Whoosh's fragmenter counts the words' lengths (not the spaces): the word that would take a
    fragment past 200 of them ends it, unmarked even when it matches. Kept as Whoosh does it."""
    searcher, results = _search(vocab, "oil")
    with searcher:
        (hit,) = results
        results.highlighter = snippets.QuickHighlighter()
        marked = hit.highlights("body", text=" ".join(["oil"] * 80), top=1)
        assert marked.count(snippets.START) == 66 and marked.endswith(f"oil{snippets.END} oil")


# ---------------------------------------------------------------- where Whoosh's own path answers

def test_other_settings_go_to_whooshs_highlighter(vocab: Path) -> None:
    """Another fragmenter, formatter, order or a low minimum score: Whoosh's own highlighter answers,
    so changing the settings can never give snippets Whoosh would not."""
    searcher, results = _search(vocab, "oil prices")
    text = "Oil prices rose. " + "Other words. " * 30 + "Prices of oil fell."
    with searcher:
        (hit,) = results
        for change in ({"fragmenter": highlight.SentenceFragmenter()}, {"formatter": highlight.UppercaseFormatter()},
                       {"order": highlight.SCORE}, {"scorer": highlight.BasicFragmentScorer()}):
            ours, theirs = snippets.QuickHighlighter(), whooshs()
            for name, value in change.items():
                setattr(ours, name, value)
                setattr(theirs, name, value)
            assert ours._plan(results, "body", 1) is None
            results.highlighter = theirs
            expected = hit.highlights("body", text=text)
            results.highlighter = ours
            assert hit.highlights("body", text=text) == expected
        results.highlighter = snippets.QuickHighlighter()
        assert results.highlighter._plan(results, "body", 0) is None
        low = hit.highlights("body", text="no match", minscore=0)  # Whoosh's fragment without matches
        results.highlighter = whooshs()
        assert low == hit.highlights("body", text="no match", minscore=0)


def test_results_with_matched_terms_go_to_whooshs_highlighter(vocab: Path) -> None:
    ix = open_index(vocab)
    with ix.searcher() as searcher:
        results = searcher.search(parse("oil prices", ix.schema).query, limit=1, terms=True)
        assert not quick(results)
        (hit,) = results
        theirs, ours = both(results, hit)
        assert ours == theirs and snippets.START in ours


def test_filters_without_words_show_the_lead(seeded: dict) -> None:
    """No words: no terms to mark (Whoosh's highlighter raised for the filters-only query); each hit
    shows its body's lead."""
    root = Path(seeded["SEARCH_INDEX_DIR"])
    response = run_search(root, SearchRequest(words="", people=["Vladimir Putin"]))
    assert response.hits
    ix = open_index(root)
    with ix.searcher() as searcher:
        for shown in response.hits:
            body = searcher.document(id=shown.id)["body"]
            assert shown.snippet == snippets.lead(body) and snippets.START not in shown.snippet


def test_candidates_find_whole_words_only() -> None:
    """The candidate scan finds the tokenizer's words (never the inside of one) that could match:
    an ASCII word by its first letter in either case, any word that starts with another character."""
    pattern = snippets._candidates(frozenset({"oil", "price"}))
    text = "Oil, soil, U.S.oil, a.oil oil.price PRICES Öl _oil 9oil ..oil"
    assert pattern.findall(text) == ["Oil", "oil.price", "PRICES", "Öl", "oil"]
    assert [m.span() for m in snippets._WORD.finditer(text) if pattern.fullmatch(text, *m.span())] == \
        [m.span() for m in pattern.finditer(text)]


def test_porter_keeps_the_first_letter(news: Path) -> None:
    """The candidate scan relies on Porter's stemmer keeping a word's first character (its rules
    only replace endings, and keep at least one character): true of every word of the index."""
    ix = open_index(news)
    with ix.searcher() as searcher:
        checked = 0
        for fields in searcher.all_stored_fields():
            for m in snippets._WORD.finditer(fields.get("body", "")):
                word = m[0]
                if word.isascii():
                    assert snippets._term(word)[:1] == word[:1].lower(), word
                    checked += 1
    assert checked > 10_000 and snippets._term("Prices") == "price"


# Whoosh's code that QuickHighlighter reproduces (it runs only under the checked version,
# whoosh_ext.fast_paths): a change here means re-reading it against search/snippets.py.
REPRODUCED = {
    "whoosh.highlight:ContextFragmenter.fragment_tokens": "71e7d522310cc29a",
    "whoosh.highlight:ContextFragmenter.__init__": "2b83204cc9a0b01f",
    "whoosh.highlight:Highlighter.highlight_hit": "da7a17430e5725ae",
    "whoosh.highlight:Highlighter._merge_matched_tokens": "fdf75d4a91e9d668",
    "whoosh.highlight:set_matched_filter": "59c11ee1bd6abc92",
    "whoosh.highlight:mkfrag": "54feeaf97ca15be8",
    "whoosh.highlight:Fragment.__init__": "3f0edf555787e6e9",
    "whoosh.highlight:top_fragments": "480af1befc4fe9a4",
    "whoosh.highlight:BasicFragmentScorer.__call__": "958b02012a5bca89",
    "whoosh.highlight:Formatter.format_fragment": "f03e3b2679e584e0",
    "whoosh.highlight:Formatter.format": "102a8268e8353425",
    "whoosh.analysis.tokenizers:RegexTokenizer.__call__": "4c51535f34f14a8a",
    "whoosh.analysis.morph:StemFilter.__call__": "f332dc92f9f1c254",
    "whoosh.lang.porter:stem": "dbc0f361f93e479c",
    "whoosh.query.qcore:Query.existing_terms": "39bc83c58a8aaa8a",
    "whoosh.searching:Results.query_terms": "2680611ca0aedee4",
    "whoosh.searching:Hit.highlights": "34b495602c6be5c3",
}


@pytest.mark.parametrize("name", sorted(REPRODUCED))
def test_whooshs_highlighting_source_is_the_one_reproduced(name: str) -> None:
    module, _, path = name.partition(":")
    obj = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    got = hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]
    assert got == REPRODUCED[name], f"Whoosh's {name} changed: re-check snippets.QuickHighlighter, then pin {got}"
