"""Data that crosses module lines: plain dataclasses, no behaviour beyond conversion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """One entity mention in a text: character offsets, end exclusive."""

    text: str
    start: int
    end: int
    type: str  # "person" | "place" | "org"
    canonical: str


@dataclass
class Entities:
    """Canonical entity names of one article, each list sorted and without duplicates."""

    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)


@dataclass
class Story:
    """What a reader made of one source: its title, date, URL and outlet, and the story's cleaned text.

    Entities are found later (articles.to_article), from this text alone, so that an article's names
    never depend on what else was indexed with it."""

    title: str
    date: dt.date | None
    text: str
    url: str | None = None
    source: str | None = None  # the outlet: the page's site name, else its URL's host
    published: dt.datetime | None = None  # the publication moment, when the source gives the time of day


@dataclass
class Article:
    """A cleaned article, ready to index or to print."""

    doc_id: str
    path: str
    title: str
    date: dt.date | None
    body: str
    entities: Entities
    content_hash: str
    url: str | None = None
    source: str | None = None
    published: dt.datetime | None = None  # the publication moment, when the source gives the time of day

