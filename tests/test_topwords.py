"""`--top-words N`: words and two-word phrases characteristic of the matches, end to end through the
installed `search` on a real index; counts checked against the indexed bodies read independently
(the export), never stop words or boilerplate (issue 17)."""

from __future__ import annotations

import json
import re

import pytest
import research_corpus as rc
from conftest import SEEDS, assert_one_clear_error, run, search_json

from newsgrep.search.topwords import STOP_WORDS, _g2


def test_g2_is_zero_for_equal_rates_and_grows_with_the_difference():
    assert _g2(10, 100, 100, 1000) == 0.0
    assert _g2(5, 100, 100, 1000) == 0.0  # rarer in the matches: not characteristic
    assert 0 < _g2(20, 100, 100, 1000) < _g2(40, 100, 100, 1000)
    # Dunning (1993), the 2x2 table [[20, 80], [100, 900]] by hand: 2 * sum(O * ln(O / E)) with
    # E = 10.909, 89.091, 109.091, 890.909: 2 * (12.123 - 8.611 - 8.701 + 9.137) = 7.897
    assert _g2(20, 100, 100, 1000) == pytest.approx(7.897, abs=0.001)


def test_words_are_split_as_the_index_splits_them():
    """Phrases are counted inside the matches from the bodies and outside from the index's
    positions: both must see the same tokens, so adjacency means the same."""
    from whoosh.analysis import RegexTokenizer

    from newsgrep.search.topwords import _TOKEN

    samples = ["U.S. oil.. prices 1.5.2 a..b .x. x_y é.t.é -- ok. 3.75 pct... e.g. v1.2a co.,ltd _._ a.b.",
               "Żółć.ąę 東京.日本 naïve.café 1,000.5 a.-b ..a.. a.b.c.d.e", ""]
    samples += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for text in samples:
        assert _TOKEN.findall(text) == [t.text for t in RegexTokenizer()(text)]


def test_the_fast_split_of_plain_ascii_gives_the_same_tokens():
    """_tokens (spaces and dots, for ASCII text) against Whoosh's tokenizer: tricky samples, the seeds,
    every Reuters body, and random strings over the characters that matter (dots, underscores,
    digits, other punctuation, control characters)."""
    import random

    from whoosh.analysis import RegexTokenizer

    from newsgrep.search.topwords import _tokens

    tokenize = RegexTokenizer()
    samples = ["U.S. oil.. prices 1.5.2 a..b .x. x_y é.t.é -- ok. 3.75 pct... e.g. v1.2a co.,ltd _._ a.b.",
               "Żółć.ąę 東京.日本 naïve.café 1,000.5 a.-b ..a.. a.b.c.d.e", "", ".", "...", "a.", ".a", "a\x1cb\x00c"]
    samples += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if rc.CORPUS.is_file():
        samples += [json.loads(line).get("body") or "" for line in rc.CORPUS.open(encoding="utf-8")]
    chance = random.Random(17)
    samples += ["".join(chance.choice("ab1_. .\t\n-,'\x1f") for _ in range(40)) for _ in range(3000)]
    for text in samples:
        assert _tokens(text) == [t.text for t in tokenize(text)], text[:80]


@pytest.fixture(scope="module")
def reuters(tmp_path_factory) -> dict:
    return rc.build(tmp_path_factory)


@pytest.fixture(scope="module")
def bodies(reuters) -> dict[str, str]:
    """The cleaned body of every indexed article, as `search --export` gives them."""
    out = run("search", "--export", "jsonl", env=reuters).stdout
    return {r["id"]: r["body"] for r in map(json.loads, out.splitlines())}


def _articles_with(bodies: dict[str, str], term: str, ids) -> int:
    """Articles whose body holds the term: a word by its Porter stem ("oils" is "oil", as indexed),
    a phrase by its words side by side."""
    if " " not in term:
        from whoosh.lang.porter import stem

        return sum(1 for i in ids if any(stem(w) == term for w in set(re.findall(r"\w+", bodies[i].lower()))))
    words = [re.escape(w) for w in term.split()]
    pattern = re.compile(r"\b" + r"\s+".join(words) + r"\b", re.IGNORECASE)
    return sum(1 for i in ids if pattern.search(bodies[i]))


def test_top_words_of_a_topic_with_counts_in_and_out(reuters, bodies):
    code, _, summary, _ = search_json(reuters, "title:oil", "-n", "0", "--top-words", "15")
    assert code == 0
    words = summary["top_words"]
    assert len(words) == 15
    terms = [w["term"] for w in words]
    assert "oil" in terms and any(" " in t for t in terms)  # words and two-word phrases
    assert [w["score"] for w in words] == sorted((w["score"] for w in words), reverse=True)
    inside = {r["id"] for r in rc.matching("oil")}
    outside = set(bodies) - inside
    for w in words:
        if w["term"] in ("oil", "opec", "crude"):
            assert w["count_in"] == _articles_with(bodies, w["term"], inside), w
            assert w["count_out"] == _articles_with(bodies, w["term"], outside), w


def test_phrase_counts_in_and_out_are_the_articles_with_the_two_stems_side_by_side(reuters, bodies):
    """Each phrase's counts, checked against the bodies read independently: the articles where a
    token of the first word's stem is directly followed by one of the second's (the index's tokens,
    punctuation between them ignored, as its positions ignore it), in the matches and elsewhere."""
    from whoosh.analysis import RegexTokenizer
    from whoosh.lang.porter import stem

    code, _, summary, _ = search_json(reuters, "title:oil", "-n", "0", "--top-words", "30")
    assert code == 0
    phrases = [w for w in summary["top_words"] if " " in w["term"]]
    assert len(phrases) >= 3
    tokenize = RegexTokenizer()
    pairs = {i: set(zip(s, s[1:], strict=False)) for i, s in
             ((i, [stem(t.text.lower()) for t in tokenize(body)]) for i, body in bodies.items())}
    inside = {r["id"] for r in rc.matching("oil")}
    for w in phrases:
        pair = tuple(stem(word) for word in w["term"].split())
        assert w["count_in"] == sum(1 for i in inside if pair in pairs[i]), w
        assert w["count_out"] == sum(1 for i in set(bodies) - inside if pair in pairs[i]), w


def test_no_stop_words_numbers_or_boilerplate(reuters, bodies):
    _, _, summary, _ = search_json(reuters, "title:cocoa", "-n", "0", "--top-words", "40")
    terms = [w["term"] for w in summary["top_words"]]
    assert terms and "cocoa" in terms
    for term in terms:
        assert not any(part in STOP_WORDS or not part.isalpha() for part in term.split()), term
    # "reuter", the wire's sign-off, and "said" stand in most articles: they never characterise a topic
    assert "reuter" not in terms and "said" not in terms


def test_text_output_and_bounds(reuters):
    result = run("search", "title:gold", "-n", "0", "--top-words", "5", env=reuters)
    lines = result.stdout.splitlines()
    start = lines.index("Top words (articles with it: in matches, elsewhere; log-likelihood G²)")
    assert len(lines[start + 1:]) == 5 and lines[start + 1].split()[0] == "gold"
    assert_one_clear_error(run("search", "gold", "--top-words", "1000", env=reuters), 2, "--top-words")


def test_top_words_of_the_whole_index_are_none(reuters):
    _, _, summary, _ = search_json(reuters, "--since", "1900", "-n", "0", "--top-words", "5")
    assert summary["total"] < len(rc.records())  # the undated are out: there is an outside ...
    code, _, summary, _ = search_json(reuters, "-n", "0", "--top-words", "5")
    assert code == 0 and summary["top_words"] == []  # ... and here there is none to compare with


def test_words_with_accents_are_counted_as_the_index_holds_them(tmp_path):
    folder, env = tmp_path / "articles", {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    folder.mkdir()
    texts = ["Dräger ventilators shipped to the harbour hospital."] * 4 + [
        "The harbour council met about Dräger ventilators."] + [f"The council met about item {i}." for i in range(8)]
    for i, text in enumerate(texts):
        (folder / f"a{i}.txt").write_text(f"Story {i}\n\n{text}\n", encoding="utf-8")
    assert run("search-index", "add", str(folder), env=env).returncode == 0
    _, _, summary, _ = search_json(env, "hospital", "-n", "0", "--top-words", "10")
    found = {w["term"]: (w["count_in"], w["count_out"]) for w in summary["top_words"]}
    assert found["dräger"] == (4, 1)  # the fifth article names Dräger without the hospital
    assert found["dräger ventilators"] == (4, 1)


def test_the_garbage_collector_is_paused_only_while_counting(reuters):
    """top_words pauses Python's cyclic collector for its many short-lived tuples (speed) and gives it
    back as it found it (running or paused by a caller), also when it fails."""
    import gc
    from pathlib import Path

    from newsgrep.index.store import open_index
    from newsgrep.search.query import parse_query
    from newsgrep.search.rank import rank_all
    from newsgrep.search.topwords import _no_cycle_collection, top_words

    assert gc.isenabled()
    with pytest.raises(KeyError), _no_cycle_collection():
        assert not gc.isenabled()
        raise KeyError
    assert gc.isenabled()
    ix = open_index(Path(reuters["SEARCH_INDEX_DIR"]))
    with ix.searcher() as searcher:
        docs = rank_all(searcher, parse_query("oil", ix.schema), None, 1).docs
        paused = top_words(searcher, docs, 10)
        assert gc.isenabled() and paused
        gc.disable()
        try:
            assert top_words(searcher, docs, 10) == paused
            assert not gc.isenabled()  # left as it was found
        finally:
            gc.enable()
