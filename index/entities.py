"""Named entities (people, places, organisations) from cleaned news text, offline and fast.

Capitalised word runs are candidates; gazetteers, titles, organisation suffixes and context decide
the type; canonical.py folds each to one name; within an article a surname alone takes the full
name used elsewhere in it, then one from the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from index.canonical import TITLES, canonicalize, lookup, strip_titles
from index.model import Entities, Mention

PLACES = frozenset("""
Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus
Belgium Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia Croatia Cuba Cyprus
Czechia Denmark Ecuador Egypt England Estonia Ethiopia Finland France Georgia Germany Ghana Greece
Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Kosovo
Kuwait Latvia Lebanon Libya Lithuania Luxembourg Malaysia Mali Malta Mexico Moldova Mongolia Montenegro
Morocco Myanmar Nepal Netherlands Nigeria Norway Oman Pakistan Palestine Panama Peru Philippines Poland
Portugal Qatar Romania Russia Rwanda Scotland Serbia Singapore Slovakia Slovenia Somalia Spain Sudan
Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey Turkmenistan Uganda Ukraine
Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe Europe Asia Africa Crimea Donbas
Donetsk Luhansk Mariupol Kharkiv Kherson Odesa Lviv Lutsk Zaporizhzhia Bakhmut Moscow Kyiv Minsk Berlin
Paris London Rome Madrid Warsaw Vienna Prague Budapest Brussels Geneva Ankara Istanbul Antalya Beijing
Shanghai Tokyo Seoul Delhi Mumbai Washington Tehran Baghdad Damascus Jerusalem Cairo Riyadh Dubai
Doha Kabul Islamabad Manila Jakarta Bangkok Hanoi Sydney Canberra Ottawa Toronto Chicago Boston
Houston Texas California Florida Ohio Belgrade Bucharest Sofia Athens Helsinki Stockholm Oslo Copenhagen
Dublin Edinburgh Lisbon Amsterdam Tbilisi Yerevan Baku Caracas Havana Khmelnytsky Siberia Chechnya
""".split()) | {"United States", "United Kingdom", "South Korea", "North Korea", "New York", "Hong Kong",
                "Saudi Arabia", "New Zealand", "South Africa", "Middle East", "Los Angeles", "Black Sea",
                "Kyiv", "Gaza", "West Bank", "San Francisco"}
ORGS = frozenset({"NATO", "EU", "UN", "G7", "G20", "Kremlin", "Pentagon", "White House", "Downing Street",
                  "OPEC", "IMF", "WHO", "FBI", "CIA", "BBC", "CNN", "Reuters", "Bloomberg", "AFP",
                  "Facebook", "Google", "Twitter", "Starlink", "Foreign Office", "State Department",
                  "Red Cross", "Gazprom", "Congress", "Senate", "Parliament", "Federal Reserve",
                  "World Bank", "Bloomberg Television", "The Times", "FT", "Hamas", "Hezbollah", "Taliban"})
ORG_SUFFIXES = ("Corp", "Corporation", "Inc", "Ltd", "Plc", "Co", "Company", "Group", "Bank", "Party",
                "Ministry", "Council", "Agency", "Association", "Union", "Committee", "Department",
                "Organisation", "Organization", "University", "Airlines", "Army", "Force", "Forces",
                "Commission", "Institute", "Foundation", "Fund", "Court", "Office", "Service", "Times",
                "News", "Post", "Journal", "Television", "Federation", "League", "Club", "Exchange")
FIRST_NAMES = frozenset("""
Joe Donald Vladimir Volodymyr Sergei Sergey Liz Boris Keir Rishi Emmanuel Olaf Angela Xi Marco Antony
Mark Max Elon Dmitry Dmytro Dmitri Keith Mevlut Ihor Andrey Andrei Jens Ursula Josh Tyler Isaac
John James Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
Paul Steven Andrew Kenneth Joshua Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Jacob
Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Frank Alexander
Raymond Patrick Jack Dennis Jerry Tyler Aaron Jose Adam Henry Nathan Douglas Zachary Peter Kyle Walter
Ethan Jeremy Harold Carl Keith Roger Gerald Christian Terry Sean Arthur Austin Noah Lawrence Jesse Joe
Bryan Billy Bruce Gabriel Logan Albert Willie Alan Juan Wayne Roy Ralph Randy Eugene Vincent Russell
Louis Philip Bobby Johnny Bradley Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah
Karen Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa
Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela
Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather Diane
Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl Andrea
Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison Doris Abigail
Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany Natalie
Theresa Nikolai Alexei Mikhail Yuri Igor Ivan Oleg Viktor Pavel Recep Tayyip Narendra Shinzo Fumio
Justin Jacinda Scott Nicola Priti Jeremy Nigel Theresa Gordon Tony Hillary Barack Kamala Mike Nancy
Chuck Mitch Ted Bernie Ron Ben Antonio Pedro Luis Carlos Jair Luiz Inacio Giorgia Mario Silvio Pope
Abdullah Mohammed Muhammad Ali Ahmed Hassan Hussein Bashar Benjamin Yair Naftali Kim Moon Yoon Lee
""".split())
DEMONYMS = frozenset("""
Ukrainian Ukrainians Russian Russians British American Americans French German Germans Chinese Turkish
European Europeans Western Belarusian Chechen Polish Italian Spanish Japanese Korean Iranian Israeli
Syrian Iraqi Afghan Indian Pakistani Canadian Australian Swedish Finnish Norwegian Danish Dutch Belgian
Greek Hungarian Romanian Czech Austrian Swiss Irish Scottish Welsh English Arab Soviet Nazi Muslim
Christian Jewish Catholic Orthodox Democrat Democrats Republican Republicans Conservative Labour
""".split())
NEVER = frozenset("""
Don't DON’T Don’t Source Read Full Article More Coverage World Today QuickTake INSIGHT ANALYSIS VIDEO
UPDATE REACTION MISS The A An In On At For But And Or If When While After Before Since As It He She They
We I You This That These Those There Here What Who How Why Where His Her Their Our Its Mr Ms Mrs Dr
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Reuter Reuters AM PM Meanwhile However Also Still Yet Under
Otherwise Follow Updates Originally Government Secretary Minister President Prime Foreign Chairman
Defence Defense Chancellor General State Chief Ministry
""".split())
NOT_ACRONYMS = frozenset("OK AM PM TV GMT BST CET EST EDT PST UTC AEST AEDT CEO CFO MP MPs PR ID DNA AI II III IV"
                         .split())
CONNECTORS = {"of", "de", "del", "da", "von", "van", "der", "al", "bin", "la", "le", "du"}

_WORDP = r"(?:(?:[A-Z]\.){2,}|[A-Z](?:[\w\-]|[’'](?!s\b))*)"
_TOKEN = re.compile(_WORDP + r"(?:[ \t]+(?:(?:of|de|del|da|von|van|der|al|bin|la|du)[ \t]+)?" + _WORDP + r")*")
_SENT_START = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n)\s*$")
_TITLE_BEFORE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?\s*$")


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim possessives, trailing dots and connector words from a candidate span."""
    span = text[start:end]
    for suffix in ("’s", "'s", "’", "'", "."):
        if span.endswith(suffix) and len(span) > len(suffix) + 1:
            if suffix == "." and re.search(r"\b[A-Z]\.[A-Z]\.$", span):
                break
            span = span[: -len(suffix)]
    while True:
        parts = span.rsplit(" ", 1)
        if len(parts) == 2 and parts[1].lower() in CONNECTORS:
            span = parts[0]
        else:
            break
    return start, start + len(span)


def _classify(name: str, titled: bool, sentence_start: bool) -> str | None:
    """The type of a candidate name, or None when it is not an entity."""
    found = lookup(name)
    if found:
        return found[1]
    words = name.split()
    if name in ORGS:
        return "org"
    if name in PLACES:
        return "place"
    if any(w in DEMONYMS for w in words) and len(words) == 1:
        return None
    if words[-1].rstrip(".") in ORG_SUFFIXES and len(words) > 1:
        return "org"
    if len(words) > 1 and name.isupper():
        return None
    if name in NOT_ACRONYMS:
        return None
    if len(words) == 1 and name.isupper() and 2 <= len(name) <= 6 and name.isalpha():
        return None if sentence_start and len(name) > 4 else "org"
    if titled:
        return "person"
    if words[0] in FIRST_NAMES and len(words) >= 2:
        return "person"
    if len(words) >= 2 and all(w[:1].isupper() and w.lower() not in CONNECTORS for w in words) and len(words) <= 3:
        if any(w in NEVER or w in DEMONYMS for w in words):
            return None
        return "person" if not sentence_start else None
    return None


def _raw_mentions(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        start, end = _clean_span(text, m.start(), m.end())
        name = text[start:end]
        before = text[max(0, start - 40):start]
        titled = bool(_TITLE_BEFORE.search(before))
        inner_title = strip_titles(name)
        if inner_title != name:
            offset = name.index(inner_title)
            start, name, titled = start + offset, inner_title, True
        words = name.split()
        for i in range(1, len(words)):
            rest = " ".join(words[i:])
            if strip_titles(rest) != rest and (lookup(" ".join(words[:i])) or " ".join(words[:i]) in PLACES):
                out.append((start, start + len(" ".join(words[:i])), _classify(" ".join(words[:i]), False, False)
                            or "place", " ".join(words[:i])))
                start += len(" ".join(words[:i])) + 1
                name = strip_titles(rest)
                start = end - len(name) if text[end - len(name):end] == name else start
                words, titled = name.split(), True
                break
        while words and (words[0] in NEVER or words[0] in DEMONYMS) and lookup(" ".join(words)) is None:
            start += len(words[0]) + 1
            words = words[1:]
            titled = titled or False
        if not words:
            continue
        name = " ".join(words)
        end = start + len(name)
        if text[start:end] != name:
            continue
        sentence_start = bool(_SENT_START.search(text[max(0, start - 3):start])) or start == 0
        if name in NEVER:
            continue
        kind = _classify(name, titled, sentence_start)
        if kind:
            out.append((start, end, kind, name))
    return out


def extract_mentions(text: str) -> list[Mention]:
    """Every mention with offsets and canonical name; surnames resolved within the text."""
    raw = _raw_mentions(text)
    full: dict[str, str] = {}
    for _, _, kind, name in raw:
        canonical = canonicalize(name, kind)
        parts = canonical.split()
        if kind == "person" and len(parts) >= 2:
            full.setdefault(parts[-1], canonical)
    mentions = []
    for start, end, kind, name in raw:
        canonical = canonicalize(name, kind)
        if kind == "person" and " " not in canonical and canonical in full:
            canonical = full[canonical]
        mentions.append(Mention(text=name, start=start, end=end, type=kind, canonical=canonical))
    return mentions


def article_entities(title: str, body: str, known_people: Mapping[str, str] | None = None) -> Entities:
    """Sorted unique canonical names per kind for one article (the title is not mined: headline case)."""
    people: set[str] = set()
    places: set[str] = set()
    orgs: set[str] = set()
    mentions = extract_mentions(body)
    fulls = {m.canonical.split()[-1]: m.canonical for m in mentions if m.type == "person" and " " in m.canonical}
    for m in mentions:
        name = m.canonical
        if m.type == "person":
            if " " not in name:
                name = fulls.get(name) or (known_people or {}).get(name) or name
            people.add(name)
        elif m.type == "place":
            places.add(name)
        else:
            orgs.add(name)
    return Entities(sorted(people), sorted(places), sorted(orgs))
