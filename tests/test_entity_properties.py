"""The entity extractor's contract, as hypothesis properties: mentions index the text, in order and without
overlap, with a type and a canonical name; an article's names are sorted and unique. The `slow` variant
(run with `-m slow`) tries many more examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import FAST, PROSE, SLOW

from newsgrep.index.entities import article_entities, extract_mentions

NAMES = ["Zelenskiy", "Volodymyr Zelensky", "Mr Lavrov", "Foreign Secretary Liz Truss", "Kiev", "Kyiv", "Nato",
         "NATO", "the Kremlin", "Bank of England", "U.S.", "US", "O'Neill", "New York-based", "Kremlin-backed",
         "Celtic 2 Rangers 1", "Stoke 4 3 1 0 7 4 10", "SOCCER - ", "TENNIS - ", "LONDON 1996-08-30",
         "President", "Mr", "Prime Minister", "Secretary of State", "EU Commissioner Franz Fischler",
         "Lebed Chechnya plan", "the village of Mahala", "Dynamo Moscow", "Putin, who", "said", "in", "of",
         "de", "&", "Ohio-based KeyCorp", "A.", "J. Smith", "Türkiye", "Côte d'Ivoire", "ß", "ǅ", "ﬁ", "İ",
         "Ⅻ", "𝐀", "’s", "Putin’s", "'s", "-", "—", ".", ",", "\n", " ", "  ", "\t", "(", ")", "[", "]"]


entity_text = st.one_of(
    st.lists(st.sampled_from(NAMES) | st.sampled_from(PROSE) | st.text(max_size=8), max_size=40).map(" ".join),
    st.lists(st.sampled_from(NAMES), max_size=30).map(lambda words: " ".join(words).upper()),
    st.text(max_size=300),
)


MENTION_TYPES = {"person", "place", "org"}


def check_mentions(text: str) -> None:
    """extract_mentions: offsets index the text (0 <= start < end <= len, text[start:end] is the mention),
    types are person/place/org, canonical names are non-empty, and mentions come in text order without
    overlapping (candidates are found line by line, left to right, each token in at most one)."""
    mentions = extract_mentions(text)
    end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start:m.end] == m.text, m
        assert m.type in MENTION_TYPES, m
        assert m.canonical and m.canonical.strip() == m.canonical, m
        assert m.start >= end, (m, mentions)
        end = m.end


@FAST
@given(entity_text)
def test_mentions_are_well_formed(text: str) -> None:
    check_mentions(text)


@FAST
@given(st.one_of(st.none(), entity_text), st.one_of(st.none(), entity_text))
def test_article_entities_are_sorted_unique_names(title: str | None, body: str | None) -> None:
    """Each kind is a sorted list of unique, non-empty names."""
    ents = article_entities(title, body)
    for names in (ents.people, ents.places, ents.orgs):
        assert names == sorted(set(names))
        assert all(name and name.strip() == name for name in names)


@pytest.mark.slow
@SLOW
@given(entity_text)
def test_mentions_are_well_formed_slow(text: str) -> None:
    check_mentions(text)
