"""Entity extraction and canonical names: alias families, titles, demonyms, boilerplate, offsets, robustness.

The news-style sentences below were written for these tests (none is taken from an evaluation set).
"""

from __future__ import annotations

import time

import pytest

from newsgrep.index.canonical import canonicalize, strip_titles
from newsgrep.index.entities import article_entities, extract_mentions
from newsgrep.index.model import Entities


def spans(text: str) -> dict[str, tuple[str, str]]:
    """Surface text -> (type, canonical) for every mention, after checking its offsets."""
    out = {}
    for m in extract_mentions(text):
        assert text[m.start:m.end] == m.text
        assert m.type in {"person", "place", "org"}
        out[m.text] = (m.type, m.canonical)
    return out


@pytest.mark.parametrize("variant", ["Zelenskiy", "Zelensky", "Zelenskyy", "Volodymyr Zelenskiy",
                                     "President Zelensky", "Mr Zelensky", "Volodymyr Zelensky"])
def test_zelensky_variants_fold(variant: str) -> None:
    assert canonicalize(variant, "person") == "Volodymyr Zelensky"


@pytest.mark.parametrize(("variant", "canonical"), [
    ("Kiev", "Kyiv"), ("Kiyv", "Kyiv"), ("Kyiv", "Kyiv"), ("Odessa", "Odesa"), ("Kharkov", "Kharkiv"),
    ("Nato", "NATO"), ("North Atlantic Treaty Organization", "NATO"), ("European Union", "EU"),
    ("United Nations", "UN"), ("U.S.", "United States"), ("Britain", "United Kingdom"),
    ("Holland", "Netherlands"), ("Burma", "Myanmar"), ("Macron", "Emmanuel Macron"), ("Nato", "NATO"),
])
def test_places_and_orgs_fold(variant: str, canonical: str) -> None:
    assert canonicalize(variant) == canonical


@pytest.mark.parametrize(("titled", "plain"), [
    ("Mr Lavrov", "Lavrov"), ("Ms Truss", "Truss"), ("Mrs May", "May"), ("Dr. Jane Goodall", "Jane Goodall"),
    ("President Joe Biden", "Joe Biden"), ("Foreign Secretary Liz Truss", "Liz Truss"),
    ("Prime Minister Boris Johnson", "Boris Johnson"), ("Chancellor Olaf Scholz", "Olaf Scholz"),
    ("General Mark Milley", "Mark Milley"),
])
def test_titles_are_stripped(titled: str, plain: str) -> None:
    assert strip_titles(titled) == plain


def test_titles_are_not_part_of_the_mention() -> None:
    text = "Foreign Secretary Liz Truss met Chancellor Olaf Scholz and Mr Lavrov."
    found = spans(text)
    assert found["Liz Truss"] == ("person", "Liz Truss")
    assert found["Olaf Scholz"] == ("person", "Olaf Scholz")
    assert found["Lavrov"] == ("person", "Sergei Lavrov")
    assert not any(t.startswith(("Foreign", "Chancellor", "Mr")) for t in found)


def test_surname_takes_full_name_from_the_same_text() -> None:
    text = "Jacinta Morrow, the mayor, opened the bridge. Later Morrow said the town had waited years."
    mentions = [m for m in extract_mentions(text) if m.text == "Morrow"]
    assert mentions and all(m.canonical == "Jacinta Morrow" and m.type == "person" for m in mentions)


def test_demonyms_are_not_places() -> None:
    text = "Ukrainian and Russian negotiators met British officials; the Iraqis stayed away."
    found = spans(text)
    assert not {"Ukrainian", "Russian", "British", "Iraqis"} & set(found)


def test_demonym_and_title_before_a_name_are_cut_off() -> None:
    found = spans("Turkish Foreign Minister Mevlut Cavusoglu hosted the talks.")
    assert found == {"Mevlut Cavusoglu": ("person", "Mevlut Cavusoglu")}


def test_boilerplate_and_sentence_initial_words_are_not_entities() -> None:
    text = ("Don't miss out on the headlines from World.\nSource: Read Full Article\nMore Coverage\n"
            "Today the talks resumed. Police said nothing. Shares fell in Tokyo.\n"
            "How a Country Joins NATO (and Why Putin Cares): QuickTake\n[INSIGHT]")
    names = {m.canonical for m in extract_mentions(text)}
    for junk in ("Don't", "World", "Source", "Read Full Article", "More Coverage", "Today", "Police",
                 "Shares", "QuickTake", "INSIGHT", "Read", "More"):
        assert junk not in names
    assert {"Tokyo", "NATO", "Vladimir Putin"} <= names


def test_org_suffixes_acronyms_and_gazetteer_orgs() -> None:
    found = spans("Shares of Halvorsen Shipping Corp rose after the IMF and Gazprom met the "
                  "Bank of England in London.")
    assert found["Halvorsen Shipping Corp"][0] == "org"
    assert found["IMF"][0] == "org"
    assert found["Gazprom"][0] == "org"
    assert found["Bank of England"][0] == "org"
    assert found["London"] == ("place", "London")


def test_context_words_type_unknown_names() -> None:
    found = spans("Rebels were seen near Qaltibar on Tuesday, Ostrowiak said.")
    assert found["Qaltibar"][0] == "place"
    assert found["Ostrowiak"][0] == "person"


def test_conll_like_sentences() -> None:
    text = ("SOCCER - HALDANE SCORES AS BARNSLEY WIN .\n"
            "LONDON 1996-09-02\n"
            "Striker Tom Haldane scored twice as Barnsley beat Luton 2-0 on Saturday .\n"
            "Haldane , who joined from Celtic in June , said the win lifted the team .\n"
            "Barnsley 2 Luton 0\n")
    found = {(m.text, m.type) for m in extract_mentions(text)}
    assert ("LONDON", "place") in found
    assert ("Tom Haldane", "person") in found
    assert ("Haldane", "person") in found
    assert ("HALDANE", "person") in found
    assert ("Celtic", "org") in found
    assert ("Barnsley", "org") in found and ("Luton", "org") in found
    assert not any(t in {"SOCCER", "SCORES", "WIN", "Striker", "Saturday"} for t, _ in found)


def test_news_sentences_with_places_people_and_orgs() -> None:
    text = ("The European Union said on Monday that President Emmanuel Macron of France would travel to "
            "Washington with officials from the World Bank. Mr Macron told reporters in Paris that the "
            "trip was planned.\n")
    found = spans(text)
    assert found["European Union"] == ("org", "EU")
    assert found["Emmanuel Macron"] == ("person", "Emmanuel Macron")
    assert found["Macron"] == ("person", "Emmanuel Macron")
    assert found["France"][0] == "place" and found["Paris"][0] == "place"
    assert found["Washington"][0] == "place"
    assert found["World Bank"][0] == "org"


def test_shouting_headline_words_are_not_entities() -> None:
    text = "TRUSS FURY AS SHE CLAIMS FRANCE ABOUT TO LET PUTIN OFF HOOK\n"
    names = {m.text for m in extract_mentions(text)}
    assert "FRANCE" in names and "PUTIN" in names
    assert not {"TRUSS FURY", "FURY", "OFF HOOK", "HOOK", "CLAIMS"} & names


def test_article_entities_uses_title_for_context_not_for_junk() -> None:
    ents = article_entities("Truss Fury As Kremlin Plans Big Move", "Liz Truss met Sergei Lavrov in Moscow.")
    assert ents.people == ["Liz Truss", "Sergei Lavrov"]
    assert "Moscow" in ents.places and "Kremlin" in ents.orgs
    assert not {"Fury", "Plans", "Big Move", "Truss Fury"} & set(ents.people + ents.places + ents.orgs)


def test_a_bare_surname_without_evidence_stays_a_surname() -> None:
    # "Mr" is the text's evidence that Gorvell is a person at all (see test_entities_news: a bare
    # surname with no title, full name or "who" is no person facet value).
    body = "Later Mr Gorvell said the deal was done, and Gorvell left."
    assert article_entities("", body).people == ["Gorvell"]
    assert article_entities("", "Anna Gorvell arrived. " + body).people == ["Anna Gorvell"]


def test_article_entities_sorted_and_unique() -> None:
    ents = article_entities("", "Kiev and Kyiv. NATO and Nato. Putin and Vladimir Putin. Moscow, Moscow.")
    assert ents == Entities(people=["Vladimir Putin"], places=["Kyiv", "Moscow"], orgs=["NATO"])


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\x00\x01\xff", "A", "...", "Mr", "Mr.", "'s", "U.S",
                                  "\ud800", "日本の東京", "-" * 1000, "Of The And", "& & &"])
def test_never_raises_on_odd_text(text: str) -> None:
    for m in extract_mentions(text):
        assert text[m.start:m.end] == m.text
    article_entities(text, text)


def test_huge_text() -> None:
    """(Random junk is test_entity_properties' hypothesis property: offsets index the text.)"""
    huge = "Liz Truss met Sergei Lavrov in Moscow on Thursday, officials said. " * 20000
    started = time.perf_counter()
    mentions = extract_mentions(huge)
    assert len(mentions) == 60000
    assert time.perf_counter() - started < 30
