"""The one table of canonical entity names: aliases, transliterations, long forms and titles.

Every variant a user or an article may use folds to the name facets show, so one person, place or
organisation is counted once however it was spelled.
"""

from __future__ import annotations

import re

# canonical name -> (type, variants). Variants are matched case-sensitively after title stripping,
# except where the canonical form is all capitals (Nato -> NATO), which any case folds to.
CANONICAL: dict[str, tuple[str, tuple[str, ...]]] = {
    "Volodymyr Zelensky": ("person", ("Zelenskiy", "Zelensky", "Zelenskyy", "Volodymyr Zelenskiy",
                                      "Volodymyr Zelenskyy", "Vladimir Zelensky")),
    "Vladimir Putin": ("person", ("Putin", "Vladimir Vladimirovich Putin")),
    "Sergei Lavrov": ("person", ("Lavrov", "Sergey Lavrov")),
    "Liz Truss": ("person", ("Truss", "Elizabeth Truss")),
    "Dmytro Kuleba": ("person", ("Kuleba", "Dmitry Kuleba")),
    "Dmitry Peskov": ("person", ("Peskov", "Dmitri Peskov")),
    "Joe Biden": ("person", ("Biden", "Joseph Biden", "Joseph R. Biden")),
    "Donald Trump": ("person", ("Trump", "Donald J. Trump")),
    "Emmanuel Macron": ("person", ("Macron",)),
    "Olaf Scholz": ("person", ("Scholz",)),
    "Jens Stoltenberg": ("person", ("Stoltenberg",)),
    "Xi Jinping": ("person", ("Xi",)),
    "Kyiv": ("place", ("Kiev", "Kiyv", "Kyyiv")),
    "Kharkiv": ("place", ("Kharkov",)),
    "Odesa": ("place", ("Odessa",)),
    "Donbas": ("place", ("Donbass",)),
    "United States": ("place", ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America")),
    "United Kingdom": ("place", ("UK", "U.K.", "Britain", "Great Britain")),
    "Turkey": ("place", ("Turkiye", "Türkiye")),
    "Netherlands": ("place", ("The Netherlands", "Holland")),
    "Czech Republic": ("place", ("Czechia",)),
    "Ivory Coast": ("place", ("Cote d'Ivoire", "Côte d'Ivoire")),
    "Myanmar": ("place", ("Burma",)),
    "Beijing": ("place", ("Peking",)),
    "Mumbai": ("place", ("Bombay",)),
    "NATO": ("org", ("Nato", "North Atlantic Treaty Organization", "North Atlantic Treaty Organisation")),
    "EU": ("org", ("European Union", "E.U.")),
    "UN": ("org", ("United Nations", "U.N.")),
    "G7": ("org", ("Group of Seven",)),
    "Kremlin": ("org", ("the Kremlin",)),
}

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "President", "Prime Minister",
          "Foreign Secretary", "Foreign Minister", "Defence Minister", "Defense Secretary", "Chancellor",
          "General", "Gen", "Secretary of State", "Secretary", "Minister", "Senator", "Sen", "Rep",
          "Governor", "Gov", "King", "Queen", "Prince", "Princess", "Pope", "Judge", "Justice", "Professor",
          "Prof", "Colonel", "Col", "Captain", "Capt", "Lieutenant", "Lt", "Sgt", "Admiral", "Adm",
          "Ambassador", "Mayor", "Premier", "Vice President", "Deputy", "Chairman", "Chief Executive",
          "Spokesman", "Spokeswoman", "Sheikh", "Rev", "Father", "Bishop", "Archbishop", "Commissioner",
          "Director", "Managing Director", "Major-General", "Lieutenant-General", "Brigadier", "Major",
          "Coach", "Manager", "Ayatollah", "Cardinal", "Inspector", "Superintendent", "Sergeant", "Corporal")

_VARIANTS: dict[str, tuple[str, str]] = {}
for _name, (_type, _variants) in CANONICAL.items():
    _VARIANTS[_name.casefold()] = (_name, _type)
    for _v in _variants:
        _VARIANTS.setdefault(_v.casefold(), (_name, _type))

_TITLE_ALT = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
_TITLE_RE = re.compile(rf"^(?:(?:{_TITLE_ALT})\.?\s+)+")


def strip_titles(name: str) -> str:
    """'Foreign Secretary Liz Truss' -> 'Liz Truss'; a bare title stays as it is."""
    stripped = _TITLE_RE.sub("", name.strip())
    return stripped or name.strip()


def lookup(name: str) -> tuple[str, str] | None:
    """(canonical, type) for a known variant, else None."""
    key = " ".join(name.split()).casefold()
    if key.startswith("the "):
        key = key[4:]
    key = key.replace("’s", "").removesuffix("'s")
    return _VARIANTS.get(key)


def canonicalize(name: str, type: str | None = None) -> str:
    """The canonical form of a name: titles stripped, aliases folded, spacing normalised."""
    plain = " ".join(strip_titles(name).split())
    found = lookup(plain)
    if found and (type is None or found[1] == type):
        return found[0]
    return plain
