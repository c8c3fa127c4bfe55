"""Named entities (people, places, organisations) from cleaned news text, offline and fast.

Method (rules + shipped gazetteers, no model):

1. Each line is tokenised once. A line whose words are mostly in capitals (a headline, a sports
   table heading, a dateline) is "shouting": its case says nothing, so only names the gazetteers or
   the rest of the document vouch for are taken from it.
2. On other lines, runs of capitalised words (joined by "of", "de", "van", "&", ...) are candidates.
   Titles ("President", "Mr") and demonyms ("Russian") are cut off the front and mark what follows as
   a person; a common English word opening a sentence is cut off too ("Police", "The").
3. A candidate is typed by the first of the named rules in CLASSIFY_RULES that decides (the
   canonical table, the organisation / place gazetteers, organisation and place head words ("Bank",
   "Party", "River"), a title before it, a known first name, acronyms, then its shape), and where
   they were unsure, by the words around it ("said", "in": _weak_kind).
4. The document decides the rest: a name typed with confidence once keeps that type everywhere in the
   text, including in capitals and as a bare surname. In Reuters-style sports stories (the first line
   says "SOCCER - ...") a town that plays is a team, so an organisation.

Data lives in index/data and is read once, on first use (import stays cheap for the CLI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from newsgrep.index.canonical import (
    CANONICAL,
    GROUP_NAMES,
    LEGAL_SUFFIXES,
    SURNAME_EVIDENCE,
    TITLE_ONLY,
    TITLES,
    WOMEN,
    canonicalize,
    familiar_form,
    is_surname_alias,
    lookup,
    name_at_the_time,
)
from newsgrep.index.model import Entities, Mention


@dataclass(frozen=True)
class _Gazetteers:
    places: dict[str, str]  # name -> country | region | city | town
    orgs: frozenset[str]
    first_names: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]  # lower-case English words
    demonyms: frozenset[str]
    misc: frozenset[str]  # never entities: events, holidays, boilerplate
    max_words: int  # longest multi-word gazetteer name, in words
    nationality: dict[str, str]  # "Dutch" -> "Netherlands", "West German" -> "West Germany"
    # Names with lower-case words inside ("Securities and Exchange Commission", "Trinidad and Tobago"),
    # which runs of capitalised words cannot find: first token -> token tuples, longest first.
    phrases: dict[str, list[tuple[str, ...]]]


_DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file (comments only ever open a file)."""
    lines = (_DATA / name).read_text(encoding="utf-8").split("\n")
    while lines and lines[0].startswith("#"):
        del lines[0]
    return [line for line in lines if line] if len(lines) < 5000 else lines


@cache
def _gaz() -> _Gazetteers:
    """Load every list once, on first use; C-level splits keep it to a few tens of milliseconds."""
    places: dict[str, str] = {}
    for name in ("places.tsv", "places_extra.tsv"):
        fields = (_DATA / name).read_text(encoding="utf-8").replace("\t", "\n").split("\n")
        while fields and fields[0].startswith("#"):
            del fields[0]
        places.update(zip(fields[::2], fields[1::2], strict=False))
    orgs = frozenset(_lines("orgs.txt"))
    first = frozenset(_lines("first_names.txt"))
    first |= frozenset(" ".join(_lines("first_names_extra.txt")).split())
    demonyms = frozenset(" ".join(_lines("demonyms.txt")).split())
    misc = frozenset(_lines("misc.txt"))
    longest = max(4, *(len(n.split()) for n in (*orgs, *misc)))
    phrases: dict[str, list[tuple[str, ...]]] = {}
    named = [*orgs, *misc, *(n for n in places if " " in n)]
    named += [n for canonical, (_, variants) in CANONICAL.items() for n in (canonical, *variants)]
    for name in named:
        toks = tuple(_TOKEN.findall(name))
        if len(toks) > 1 and toks[0][0].isupper() and any(not t[0].isupper() and t not in CONNECTORS
                                                          for t in toks[1:-1]):
            phrases.setdefault(toks[0], []).append(toks)
    for options in phrases.values():
        options.sort(key=len, reverse=True)
    nationality = dict(line.split("\t") for line in _lines("demonym_places.tsv"))
    return _Gazetteers(places, orgs, first, frozenset(_lines("surnames.txt")),
                       frozenset(_lines("common_words.txt")), demonyms, misc, longest, nationality, phrases)


# Words that end or head an organisation's name.
ORG_WORDS = frozenset("""
Corp Corporation Inc Incorporated Ltd Limited Plc PLC Co Company Companies Group Holdings Holding Bank Bancorp
Party Ministry Council Agency Association Union Committee Department Organisation Organization University
College Institute Foundation Fund Court Office Service Services Commission Federation League Club FC
Airlines Airways Motors Industries Industrial International Partners Securities Exchange Trust Bureau Board
Authority Assembly Parliament Senate Congress Army Navy Police Forces Force Front Movement Brigade Brigades
Newsroom Times Post Journal News Herald Tribune Telegraph Gazette Daily Radio Television TV Press Network
Systems Technologies Technology Electronics Communications Telecom Petroleum Oil Energy Steel Chemicals
Pharmaceuticals Insurance Capital Investments Associates Enterprises Stores Foods Brewery
AG SA NV BV GmbH SpA AB ASA Oyj KK United Rovers Wanderers Athletic Albion Hotspur Rangers Town
Controls Electric Power Copper Medical Consolidated Mining Mines Resources Chemical Marine Shipping Cement
Textiles Paper Finance Financial Banc Gas Utilities Pharmaceutical Healthcare Software Computer Computers
Products Brands Media Entertainment Publishing Hotels Hospitality Properties Realty Development Construction
Engineering Aerospace Automotive Semiconductor Instruments Equipment Tobacco Beverages Breweries Distillers
Rubber Plastics Metals Aluminium Aluminum Refining Exploration Drilling Railways Railroad Telecommunications
Administration Brothers Bros Industrie Bancshares Cos Sons Partnership Laboratories Labs Chamber Motor
Corp. Inc. Co. Ltd. Bros. Cos. Express
""".split())
# A company's name may go on past a comma and an "and" to its legal form: "Goldman, Sachs and Co",
# "Merrill Lynch and Co Inc", "Smith Barney, Harris Upham and Co".
COMPANY_TAILS = frozenset("Co Co. Cos Company Companies Sons Partners Associates Brothers Bros Bros.".split())
# The head of an institution's name, which may join two capitalised words with "and": "Securities and
# Exchange Commission", "Test and County Cricket Board".
INSTITUTION_HEADS = frozenset("""Commission Board Administration Council Committee Authority Association
Institute Federation Organisation Organization Agency Bureau Department Ministry Corporation Union""".split())
_TEAM_WORDS = frozenset("United Rovers Wanderers Athletic Albion Hotspur Rangers Town Times Post Journal News Herald "
                        "Tribune Telegraph Gazette Daily Radio Television TV Press Express Mail".split())
# Words that head or end a place's name.
PLACE_WORDS = frozenset("""
River Sea Ocean Lake Mountains Mountain Mount Mt Island Islands Isle Province Republic Gulf Bay Valley Strait
Peninsula Region Street Avenue Square Canal Desert Coast Heights Plain Basin Harbour Harbor Falls Beach Cape
Park Stadium Road Ground Course Centre Center Arena Oval Bridge Airport Hospital Infirmary Clinic Cathedral
""".split())
PLACE_PREFIXES = frozenset("North South East West Northern Southern Eastern Western Central Upper Lower New "
                           "Greater".split())
# Words that end the name of an event, a prize, a holiday, a product ("MacBook Pro", "Chromecast
# Ultra"), an agreement or programme ("General Agreement", "Export Enhancement Program"), a market
# index or a crude oil grade ("West Texas Intermediate"): not people, places or organisations.
EVENT_WORDS = frozenset("""
Open Cup Championship Championships Tour Games Trophy Classic Masters Prix Series Day Award Awards Prize
Festival Rally Marathon Olympics Tournament Invitational Week Year War
Pro Ultra Plus Max Mini Edition
Agreement Accord Treaty Pact Program Programme Plan Act Amendment Index Average Intermediate Sour Blend
""".split())  # (the last line: agreements, programmes, laws, market indices and crude oil grades)
CONNECTORS = frozenset("of de del della di da do dos das du von van der den la le al el bin ibn y &".split())
NEVER = frozenset("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
Mon Tue Wed Thu Fri Sat Sun
I I'm I'll I've I'd I’m I’ll I’ve I’d Mr Mrs Ms Dr A An The This That These Those It Its He She We They You His Her
Our Their My Your Who What Where When Why How Which If But And Or So Yet Also Meanwhile However Although Though While
After Before Since As At In On Of For From To By With Without Under Over Into Between Among Then Now Today Tonight
Yesterday Tomorrow Here There Please Thank Thanks Yes No Not Don't Can't Won't OK God AM PM GMT BST EST EDT
CET UTC Dlrs Dlr Mln Pct Cts Stg Dollar Dollars
""".split())
NOT_ACRONYMS = frozenset("""
OK AM PM TV GMT BST CET EST EDT PST UTC CEO CFO COO MP MPs PR ID DNA AI II III IV VI VII VIII IX XI XII
NB PS FYI AEST AEDT ACST AWST JST IST MSK PDT CDT CST MST HKT SGT HIV AIDS SARS GDP GNP CPI VAT IPO RPI LBW
NO OR AND THE OF IN A AA AAA BB BBB
FOB CIF CD CDS ECU ECUS EMS ERM ADR ADRS LBO OTC REIT ESOP PC PCS
""".split())  # (the last two lines: credit ratings; trade and finance terms, a currency unit, a system)
SAY_WORDS = frozenset("said says say told added asked explained stated according wrote warned insisted "
                      "replied who whose".split())
LOC_BEFORE = frozenset("in near outside".split())
PLACE_NOUNS = frozenset("town village city province region district port capital state county island suburb "
                        "area enclave outskirts streets centre center north south east west".split())
TEAM_SPORTS = ("SOCCER", "FOOTBALL", "CRICKET", "BASEBALL", "BASKETBALL", "RUGBY", "HOCKEY", "ICE HOCKEY",
               "NFL", "NBA", "NHL", "AMERICAN FOOTBALL", "AUSTRALIAN RULES", "VOLLEYBALL", "HANDBALL",
               "WATER POLO")
INDIVIDUAL_SPORTS = ("TENNIS", "GOLF", "ATHLETICS", "CYCLING", "MOTOR RACING", "MOTORCYCLING", "BOXING",
                     "SWIMMING", "SKIING", "ROWING", "SQUASH", "BADMINTON", "CHESS", "HORSE RACING",
                     "TRIATHLON", "JUDO", "FORMULA ONE", "MOTOR", "SAILING", "GYMNASTICS", "SNOOKER",
                     "ALPINE SKIING")

_TITLE_WORDS = frozenset(w for t in TITLES for w in t.split())
_SINGLE_TITLES = frozenset(t for t in TITLES if " " not in t)
_SINGLE_TITLES |= {"Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Gen.", "Rep."}
_MULTI_TITLES = tuple(sorted((tuple(t.split()) for t in TITLES if " " in t), key=len, reverse=True))
_MULTI_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _t in _MULTI_TITLES:
    _MULTI_BY_FIRST[_t[0]] = (*_MULTI_BY_FIRST.get(_t[0], ()), _t)  # longest first, as sorted

# Abbreviations with dots (U.S.), words with inner apostrophes or hyphens (O'Neill, Daimler-Benz), but
# not a possessive 's; numbers; any other single character.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=[ \t]+[A-Z])|(?:Corp|Inc|Co|Ltd|Bros|Cos|St|Mt|Ft|Jr|Sr)\.(?!\w)"
                    r"|[^\W\d_](?:\w|[’'](?![sS]\b)(?=\w)|[-&](?=\w))*|\d[\w.,:/-]*|\S")
_SENT_END = frozenset('. ! ? : ; " “ ” ‘ \' - -- — – ( [ ... …'.split())


def _is_cap(tok: str) -> bool:
    return tok[0].isupper() and (len(tok) == 1 or not tok.isupper() or len(tok) <= 5 or "." in tok)


def _title_case(tok: str) -> str:
    """'NEW' -> 'New', "O'NEILL" -> "O'Neill", 'U.S.' stays."""
    if "." in tok:
        return tok
    return "-".join("'".join(p[:1].upper() + p[1:].lower() for p in part.split("'"))
                    for part in tok.split("-"))


@dataclass
class _Cand:
    start: int
    end: int
    name: str
    kind: str | None
    strong: bool  # typed by a gazetteer, a title, a first name or a suffix, not by guesswork
    caps: bool  # found on a shouting line
    # A person named as only people are: a title, "Wagner, who ...", "spokesman Marlin Fitzwater".
    # (A first name makes `strong` without this: "Dean Witter" may still be the firm.)
    evidence: bool = False


def _sport(text: str) -> str | None:
    """'team' or 'individual' for a Reuters sports story ('SOCCER - ...' on its first line), else None."""
    head = text.lstrip()[:40].upper()
    if "-" not in head:
        return None
    first = head.split("-", 1)[0].strip()  # "SOCCER - ...", "Baseball-Results of ..."
    if first not in TEAM_SPORTS and first not in INDIVIDUAL_SPORTS:
        first = first.split(" ", 1)[0]  # "RUGBY UNION", "SOCCER SCOTTISH"
    if first in TEAM_SPORTS:
        return "team"
    if first in INDIVIDUAL_SPORTS:
        return "individual"
    return None


_WEAK_ORG_WORDS = frozenset(("United", "Town", "Times", "Daily"))
# Words that alone name no one: the head of a longer name ("the Bank said", "the Exchange"), or a
# company's legal form cut off from its name by a line break.
_GENERIC = (ORG_WORDS - _TEAM_WORDS) | PLACE_WORDS | LEGAL_SUFFIXES | COMPANY_TAILS
_ROMAN = re.compile(r"(?:XXX|XX|X)?(?:IX|IV|V?I{0,3})")


Decision = tuple[str | None, bool]  # (type or None for no name, strong)


def _classify(words: list[str], titled: bool, g: _Gazetteers) -> Decision:
    """(type, strong) for a candidate's words: what the first rule of CLASSIFY_RULES that decides
    says, else (None, False): not a name. The order is the order of trust: lists before heads, heads
    before titles and first names, the shape of the words last."""
    return _decide(tuple(words), titled)


@lru_cache(maxsize=1 << 16)  # the words alone decide, and a corpus names the same few thousand often
def _decide(words: tuple[str, ...], titled: bool) -> Decision:
    g = _gaz()
    name = " ".join(words)
    for rule in CLASSIFY_RULES:
        decided = rule(words, name, titled, g)
        if decided:
            return decided
    return None, False


def listed_as_no_name(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """Events, holidays and boilerplate the misc list names are never entities."""
    return (None, True) if name in g.misc else None


def fragment(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """'Corp', 'Bank', 'P', 'XI' alone: a legal form or a name's head cut off from its name, an
    initial, a numeral. No name, whatever the context says."""
    if len(words) == 1 and (len(name) == 1 or len(name) == 2 and name[1] == "." or _ROMAN.fullmatch(name)
                            or name in _GENERIC and not _known(name, g)):
        return None, True
    return None


def in_canonical_table(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """The canonical table knows the name and its type (Kiev, Fed, Lavrov)."""
    found = lookup(name)
    return (found[1], True) if found else None


def accented_place(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """'São Paulo', 'Zürich': the place gazetteer keeps the plain spelling."""
    return ("place", True) if not name.isascii() and _ascii(name) in g.places else None


def company_mark(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """An ampersand ("Douglas & Lomason") or a nationality before a company word ("British Airways")."""
    return ("org", True) if "&" in words or _national_company(words, g) else None


def numbered_thing(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """'Chapter XI', 'Phase II', 'Class B' shares: plain words and a numeral or a letter name a
    numbered or lettered thing, no one (and no Xi Jinping)."""
    last = words[-1]
    if len(words) > 1 and (_ROMAN.fullmatch(last) or len(last) == 1 and last.isupper()) and all(
            w.lower() in g.common for w in words[:-1]):
        return None, True
    return None


def in_org_list(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """The organisation gazetteer names it."""
    return ("org", True) if name in g.orgs else None


def in_place_list(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """The place gazetteer names it."""
    return ("place", True) if name in g.places else None


def event_or_thing(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """'US Open', 'MacBook Pro', 'General Agreement', 'West Texas Intermediate': the last word says
    it is an event, a prize, a product, an agreement, an index or a crude grade (EVENT_WORDS)."""
    return (None, True) if len(words) > 1 and words[-1] in EVENT_WORDS else None


def nationality_or_plain_word(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """'Russian', 'Russians', or one plain English word with no title before it: no name, but the
    document may still type it (weakly decided)."""
    last = words[-1]
    if last in g.demonyms or last[:-1] in g.demonyms and last[-1] == "s" or (
            len(words) == 1 and name.lower() in g.common and not titled):
        return None, False
    return None


def organisation_head(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """A name ending in an organisation word ("Halden Foods"), opening with one before a connector
    ("Bank of Boston"), or holding a strong one inside ("Chase Manhattan Bank of Delaware")."""
    if len(words) > 1 and (words[-1] in ORG_WORDS or words[0] in ORG_WORDS and words[1] in CONNECTORS):
        return "org", True
    if len(words) > 2 and any(w in ORG_WORDS and w not in _WEAK_ORG_WORDS for w in words[1:-1]):
        return "org", True
    return None


def place_head(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """A name ending or opening with a place word ("Yangtze River", "Lake Geneva"), or a compass
    prefix before a known place ("Northern Ontario")."""
    if len(words) > 1 and (words[-1] in PLACE_WORDS or words[0] in PLACE_WORDS):
        return "place", True
    if len(words) > 1 and words[0] in PLACE_PREFIXES and " ".join(words[1:]) in g.places:
        return "place", True
    return None


def titled_or_initialled(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """A title came before it ("Mr Gorvell"), or it opens with an initial ("J. Hugh Liedtke")."""
    return ("person", True) if titled or len(words[0]) == 2 and words[0][1] == "." and len(words) > 1 else None


def known_first_name(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """A first name the lists know opens it ("Karen Gibbs")."""
    return ("person", True) if words[0] in g.first_names and len(words) >= 2 else None


def acronym(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """One word in capitals or with dots that is no plain word or general term ("NAPM", "U.N."):
    an organisation by its shape alone (weak); "F.A.", "L.O." are initials, not a known body."""
    if (len(words) == 1 and (name.isupper() or "." in name) and len(name) >= 2 and name not in NOT_ACRONYMS
            and name.replace(".", "").isalpha() and name.lower() not in g.common
            and not ("." in name and len(name) <= 4)):
        return "org", False
    return None


def nationality_inside(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """A nationality inside the words ("Soviet Defence Minister"): a description, no name."""
    return (None, False) if any(w in g.demonyms for w in words) else None


def shape(words: tuple[str, ...], name: str, titled: bool, g: _Gazetteers) -> Decision | None:
    """Two or three capitalised words: an organisation when one is in capitals or all are plain
    words no surname list holds ("Cyclops Industries" is caught before), a place after a compass
    prefix, else a person; one word: a person if the surname list holds it. All weak: the document
    and its context decide."""
    if 2 <= len(words) <= 3 and all(w[0].isupper() for w in words):
        if any(w.isupper() for w in words) or all(w.lower() in g.common and w not in g.surnames for w in words):
            return "org", False
        if words[0] in PLACE_PREFIXES and words[0] != "New":
            return "place", False
        return "person", False
    if len(words) == 1:
        return ("person" if name in g.surnames else None), False
    return None


CLASSIFY_RULES = (listed_as_no_name, fragment, in_canonical_table, accented_place, company_mark, numbered_thing,
                  in_org_list, in_place_list, event_or_thing, nationality_or_plain_word, organisation_head,
                  place_head, titled_or_initialled, known_first_name, acronym, nationality_inside, shape)


def _national_company(words: list[str], g: _Gazetteers) -> bool:
    """'American Express', 'British Airways', 'American Stock Exchange', 'European Investment Bank':
    a nationality before a company word, or before plain words that end in one, is part of the name
    ("Soviet Union" is a place the gazetteer knows). Not a state's own body: the "German Foreign
    Ministry" is Germany's Foreign Ministry."""
    while len(words) > 2 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]  # "American Express Co", "British Petroleum Co Plc"
    if len(words) < 2 or words[0] not in g.demonyms or words[-1] not in ORG_WORDS or _known(" ".join(words), g):
        return False
    return len(words) == 2 or words[-1] not in _STATE_BODIES and all(w.lower() in g.common for w in words[1:])


# The bodies every state has, which a nationality only says whose they are.
_STATE_BODIES = frozenset("Ministry Government Embassy Cabinet Army Navy Police Parliament".split())


def _known(name: str, g: _Gazetteers) -> bool:
    """A name the gazetteers or the canonical table know as it stands ("The U.S." is not: "The" goes)."""
    return name in g.places or name in g.orgs or (not name.startswith("The ") and lookup(name) is not None)


def _split_title(words: list[str]) -> int:
    """How many leading words are titles ('Foreign Secretary', 'Mr', 'President')."""
    i = 0
    while i < len(words):
        for t in _MULTI_BY_FIRST.get(words[i], ()):
            if tuple(words[i:i + len(t)]) == t:
                i += len(t)
                break
        else:
            if words[i] in _SINGLE_TITLES:
                i += 1
                continue
            return i
    return i


class _Found(list):
    """Candidates found so far, whether the text is a team-sports story (where towns are teams), and
    the names the text gives companies whose full name holds a possessive ("Boatmen's")."""

    team = False
    possessive: frozenset[str] = frozenset()


# "Boatmen's Bancshares Inc", "Moody's Investors Service Inc": the possessive is part of the name.
_POSSESSIVE_STEM = re.compile(r"([^\W\d_][\w&-]*) ?['’] ?s ")


def _candidates(text: str, g: _Gazetteers, possessive: frozenset[str] = frozenset()) -> list[_Cand]:
    """Every candidate name of the text. When a company's full name holds a possessive ("Boatmen's
    Bancshares Inc"), the text is read again so that its short mentions ("Boatmen's") keep it too."""
    out = _Found()
    out.team = _sport(text) == "team"
    out.possessive = possessive
    pos = 0
    for line in text.split("\n"):
        base = pos
        pos += len(line) + 1
        toks = [(m.start() + base, m.group()) for m in _TOKEN.finditer(line)]
        if not toks:
            continue
        upper = lower = 0
        for _, t in toks:
            if t[0].isalpha():
                if t.isupper():
                    upper += len(t) > 1
                elif not t[0].isupper() or not t.istitle() or t.lower() not in g.common:
                    lower += 1
        if upper and upper >= lower or _headline_case(toks, g):
            _shouting(toks, g, out)
        else:
            _mixed(toks, g, out)
    if not possessive:
        stems = frozenset(m.group(1) for c in out if c.kind == "org" and ("'s " in c.name or "’s " in c.name)
                          for m in [_POSSESSIVE_STEM.search(c.name)] if m)
        if stems:
            return _candidates(text, g, stems)
    return out


def _headline_case(toks: list[tuple[int, str]], g: _Gazetteers) -> bool:
    """'How a Country Joins NATO (and Why Putin Cares)': every word capitalised but short function words,
    and several capitalised plain English words. A list of names ('Given, Breen, Staunton') has no plain
    words; a sentence has lower-case content words."""
    caps = plain = 0
    for _, t in toks[1:]:
        if not t[0].isalpha():
            continue
        if not t[0].isupper():
            if t not in _HEADLINE_LOWER:
                return False
            continue
        caps += 1
        plain += t.lower() in g.common and t not in g.places and t not in g.first_names and t not in NEVER
    return caps >= 3 and plain >= 2


_HEADLINE_LOWER = frozenset("a an and as at but by for from in into of on or the to with vs v".split())


def _shouting(toks: list[tuple[int, str]], g: _Gazetteers, out: _Found) -> None:
    """Capitals carry no signal: take only the longest gazetteer names; the document decides the rest."""
    n = len(toks)
    words = [_title_case(t) if t[0].isalpha() else "" for _, t in toks]
    i = 0
    while i < n:
        if not words[i]:
            i += 1
            continue
        run = i + 1
        while run < n and run - i < g.max_words and words[run]:
            run += 1
        best = None
        for k in range(run - i, 0, -1):
            if k == 1 and (len(toks[i][1]) < 2 or _ROMAN.fullmatch(toks[i][1])):
                break  # "CHAPTER XI": a numeral, not Xi Jinping
            name = " ".join(words[i:i + k]) if k > 1 else words[i]
            if name in g.misc:
                best = (k, None, name)
                break
            found = lookup(name)
            kind = found[1] if found else "org" if name in g.orgs else "place" if name in g.places else None
            if kind:
                best = (k, kind, name)
                break
        start = toks[i][0]
        if best is None:
            out.append(_Cand(start, start + len(toks[i][1]), words[i], None, False, True))
            i += 1
            continue
        k, kind, name = best
        if kind:
            out.append(_Cand(start, toks[i + k - 1][0] + len(toks[i + k - 1][1]), name, kind, True, True))
        i += k


def _mixed(toks: list[tuple[int, str]], g: _Gazetteers, out: _Found) -> None:
    """Runs of capitalised words, cut at titles and demonyms, typed one by one; gazetteer names with
    lower-case words inside, and companies named up to their legal form, taken whole."""
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i][1]
        if tok[0].isupper() and _is_cap(tok):
            i = _take_run(toks, i, _run_end(toks, i, g), g, out)
        else:
            i += 1


def _run_end(toks: list[tuple[int, str]], i: int, g: _Gazetteers) -> int:
    """Where the run of capitalised words opening at toks[i] ends: it goes on over capitalised words,
    over a connector that joins ("Bank of England", "Ludwig van Beethoven"), and over "and" between
    plain words after an "of" ("Ministry of Trade and Industry")."""
    j, n = i + 1, len(toks)
    while j < n:
        t = toks[j][1]
        if t[0].isupper() and _is_cap(t) and t not in NEVER:
            j += 1
        elif t in CONNECTORS and j + 1 < n and toks[j + 1][1][0].isupper() and _joins(toks[j - 1][1], t):
            j += 2
        elif (t == "and" and j + 1 < n and _capword(toks[j + 1][1]) and toks[j + 1][1].lower() in g.common
              and toks[j + 1][1] not in ORG_WORDS and any(toks[m][1] == "of" for m in range(i + 1, j))
              and not (j + 2 < n and toks[j + 2][1] in CONNECTORS)):
            j += 2
        else:
            return j
    return j


def _take_run(toks: list[tuple[int, str]], i: int, j: int, g: _Gazetteers, out: _Found) -> int:
    """Emit the candidates of the run toks[i:j] and say where to go on: a company's name with its
    possessive ("Boatmen's was the prize"), a gazetteer name with lower-case words inside (and the run
    before it), a company that goes on past the run to its legal form ("Goldman, Sachs and Co"), or
    the run typed word by word (_run)."""
    n = len(toks)
    sent_start = i == 0 or toks[i - 1][1] in _SENT_END
    if (out.possessive and j + 1 < n and toks[j - 1][1] in out.possessive and toks[j][1] in "'’"
            and toks[j + 1][1] == "s" and (j + 2 == n or not _capword(toks[j + 2][1]))):
        return _possessive_name(toks, i, j, g, out)
    for p in range(i, j):
        k = _phrase_at(toks, p, g) if toks[p][1] in g.phrases else 0
        if k:
            if p > i:
                _run(toks, i, p, sent_start, g, out)
            return _emit_phrase(toks, p, p + k, g, out)
    end = _company_end(toks, i, j, g)
    if end > j:
        for k in range(i, end - 1):
            if "-" in toks[k][1] and toks[k][1].rsplit("-", 1)[1].islower():
                i = k + 1  # "St. Louis-based Mercantile Bancorp Inc."
        while i < end - 1 and toks[i][1] in NEVER:
            i += 1
        name = _join_tokens([t for _, t in toks[i:end]])
        out.append(_Cand(toks[i][0], toks[end - 1][0] + len(toks[end - 1][1]), name, "org", True, False))
        return end
    _run(toks, i, j, sent_start, g, out)
    return j


_PORTFOLIO_JOINS = CONNECTORS | {"and", "for"}


def _possessive_name(toks: list[tuple[int, str]], i: int, j: int, g: _Gazetteers, out: _Found) -> int:
    """Emit toks[i:j-1] as usual and the company name toks[j-1] with its possessive; return where to go on."""
    if j - 1 > i:
        _run(toks, i, j - 1, i == 0 or toks[i - 1][1] in _SENT_END, g, out)
    name = _join_tokens([t for _, t in toks[j - 1:j + 2]])
    out.append(_Cand(toks[j - 1][0], toks[j + 1][0] + 1, name, "org", True, False))
    return j + 2


def _phrase_at(toks: list[tuple[int, str]], p: int, g: _Gazetteers) -> int:
    """Length in tokens of the longest phrase-gazetteer name starting at toks[p], else 0."""
    for option in g.phrases[toks[p][1]]:
        k = len(option)
        if p + k <= len(toks) and all(toks[p + m][1] == option[m] for m in range(1, k)):
            return k
    return 0


def _emit_phrase(toks: list[tuple[int, str]], p: int, end: int, g: _Gazetteers, out: _Found) -> int:
    """Emit the gazetteer name toks[p:end] (with a company's legal form after it); return where to go on."""
    name = _join_tokens([t for _, t in toks[p:end]])
    found = lookup(name)
    kind = found[1] if found else "org" if name in g.orgs else "place" if name in g.places else None
    if kind == "org":
        m = end
        while m < len(toks) and _capword(toks[m][1]) and m - end < 4:
            m += 1
        if m > end and (toks[m - 1][1] in LEGAL_SUFFIXES or toks[m - 1][1] in COMPANY_TAILS):
            end = m  # "Moody's Investors Service Inc"
            name = _join_tokens([t for _, t in toks[p:end]])
    if kind:
        out.append(_Cand(toks[p][0], toks[end - 1][0] + len(toks[end - 1][1]), name, kind, True, False))
    return end


def _company_end(toks: list[tuple[int, str]], i: int, j: int, g: _Gazetteers) -> int:
    """Where a company's name that goes on past the run toks[i:j] ends, or j.

    "Goldman, Sachs and Co", "Merrill Lynch and Co Inc", "Moody's Investors Service Inc": commas,
    an "and" or "&", and a possessive join capitalised words only when the name ends in a company's
    legal form; "Standard Oil Co and BP Inc" are two companies, "Texaco and Chevron" two names.
    The ways on are tried in turn: a possessive, commas then "and Co" (_listed_partners_end), the
    partners' names (_partners_end), plain words joined by "and" (_joined_body_end), a body's head
    with "on" or "for" (_body_with_end).
    """
    if _is_company_tail(toks[j - 1][1]):
        return j
    n = len(toks)
    if j + 2 < n and toks[j][1] in "'’" and toks[j + 1][1] == "s" and _capword(toks[j + 2][1]):
        m = _capitalised_end(toks, j + 2, j + 6)
        return m if _is_company_tail(toks[m - 1][1]) else j
    k, parts = _comma_parts(toks, j)
    if k < 0:
        return j  # "Foo Corp, Bar Inc": a list of companies
    if k + 1 < n and toks[k][1] in ("and", "&") and toks[k + 1][1] in COMPANY_TAILS:
        m = k + 1
        while m < n and _is_company_tail(toks[m][1]):
            m += 1
        return m
    joined = k + 2 < n and toks[k][1] in ("and", "&") and _partners_end(toks, i, j, k, parts, g)
    if joined:
        return joined
    if k == j:
        return _joined_body_end(toks, i, j, g) or _body_with_end(toks, j) or j
    return j


def _is_company_tail(tok: str) -> bool:
    return tok in LEGAL_SUFFIXES or tok in COMPANY_TAILS


def _capitalised_end(toks: list[tuple[int, str]], m: int, limit: int) -> int:
    """Where the capitalised words from toks[m] end, looking no further than `limit`."""
    while m < len(toks) and _capword(toks[m][1]) and m < limit:
        m += 1
    return m


def _comma_parts(toks: list[tuple[int, str]], j: int) -> tuple[int, int]:
    """(where the comma-joined parts after a run end, how many parts in all), or (-1, 0) when a part
    ends in a legal form: then the commas list companies. At most four parts of three words."""
    k, parts, n = j, 1, len(toks)
    while k + 1 < n and toks[k][1] == "," and _capword(toks[k + 1][1]) and parts < 4:
        m = _capitalised_end(toks, k + 1, k + 4)
        if _is_company_tail(toks[m - 1][1]):
            return -1, 0
        k, parts = m, parts + 1
    return k, parts


def _joined_body_end(toks: list[tuple[int, str]], i: int, j: int, g: _Gazetteers) -> int:
    """Where a body whose name joins plain words with "and" ends, or 0: "Test and County Cricket
    Board", "Metropolitan Federal Savings and Loan Association", "Crestmont Federal Savings and Loan
    Association", "... Loan Insurance Corp" (plain words after any name)."""
    n = len(toks)
    if not (j + 2 < n and toks[j][1] == "and" and _capword(toks[j + 1][1]) and j - i <= 5):
        return 0
    m = _capitalised_end(toks, j + 1, j + 4)
    head = toks[m - 1][1]
    if head in INSTITUTION_HEADS and m - j > 2 and j - i <= 2:
        return m
    if (head in INSTITUTION_HEADS or head in LEGAL_SUFFIXES) and m - j > 2 and toks[j - 1][1] not in ORG_WORDS \
            and all(toks[t][1].lower() in g.common for t in (j - 1, *range(j + 1, m - 1))) \
            and not any(toks[t][1] in _TITLE_WORDS for t in range(i, j)):
        return m  # (not "Treasury Secretary James Baker and Federal Reserve Board": a person, then a body)
    return 0


def _body_with_end(toks: list[tuple[int, str]], j: int) -> int:
    """Where a body's name that goes on with "on" or "for" ends, or 0: "United Nations Conference on
    Trade and Development", "Commission on Presidential Debates"."""
    n = len(toks)
    if not (toks[j - 1][1] in _BODY_HEADS and j + 1 < n and toks[j][1] in ("on", "for") and _capword(toks[j + 1][1])):
        return 0
    m = j + 1
    while m < n and (_capword(toks[m][1]) or toks[m][1] == "and" and m + 1 < n and _capword(toks[m + 1][1])):
        m += 1
    return m


def _partners_end(toks: list[tuple[int, str]], i: int, j: int, k: int, parts: int, g: _Gazetteers) -> int:
    """Where a company named for two or three partners ends, or 0: "Cable and Wireless Plc", "Carolina
    Power and Light Co", "Black and Decker Corp" (one unknown word after the "and", then a legal
    form); "Donaldson, Lufkin and Jenrette Securities Corp" (surnames listed with commas, then a
    company word or a legal form). Two companies keep apart when either is a name of its own
    ("Exxon and Mobil Corp"), or the second is longer than a word with no commas before it."""
    n = len(toks)
    if not (k + 2 < n and toks[k][1] in ("and", "&") and _capword(toks[k + 1][1])):
        return 0
    m = k + 1
    while m < n and _capword(toks[m][1]) and m - k <= 3:
        m += 1
    last = toks[m - 1][1]
    second = [t for _, t in toks[k + 1:m - 1]]
    first = " ".join(t for _, t in toks[i:j])
    if _known(first, g) or any(_known(w, g) for w in second) or last not in LEGAL_SUFFIXES and (
            parts == 1 or last not in ORG_WORDS):
        return 0
    if parts == 1 and len(second) == 1:
        return m
    if parts > 1 and all(toks[t][1] == "," or _capword(toks[t][1]) and g.places.get(toks[t][1]) not in (
            "country", "region") for t in range(i, k)) and k - i == 2 * parts - 1:
        return m  # every part before the "and" one word
    return 0


# Heads of a body's name that may go on with "on" or "for": "Council on Foreign Relations",
# "Organisation for Economic Co-operation and Development".
_BODY_HEADS = INSTITUTION_HEADS | frozenset("Conference Organisation Organization Council Centre Center Fund".split())


def _capword(tok: str) -> bool:
    return tok[0].isupper() and _is_cap(tok) and tok not in NEVER


def _join_tokens(tokens: list[str]) -> str:
    """'Goldman , Sachs and Co' -> 'Goldman, Sachs and Co'; "Moody ' s" -> "Moody's"."""
    return _POSSESSIVE.sub(r"\1s", " ".join(tokens).replace(" ,", ","))


_POSSESSIVE = re.compile(r" (['’]) s\b")


def _joins(before: str, connector: str) -> bool:
    """'Bank of England', 'Secretary of State', 'Ludwig van Beethoven' are one name; 'Xi of China' is two."""
    if before in NEVER:
        return False
    return connector != "of" or (before in ORG_WORDS and before not in LEGAL_SUFFIXES) or before in PLACE_WORDS \
        or before in _TITLE_WORDS  # "Kia Motor Corp of South Korea": a company, then where it is


def _run(toks: list[tuple[int, str]], i: int, j: int, sent_start: bool, g: _Gazetteers,
         out: _Found) -> None:
    """Type one run of capitalised words toks[i:j], splitting it where titles or stop words sit inside:
    a plain word opening a sentence goes (_sentence_opener), titles in front mark a person ("titled"),
    and a second title or a nationality inside starts a new mention (_inner_start)."""
    words = [t for _, t in toks[i:j]]
    while words and _sentence_opener(words, sent_start, g):
        words, i, sent_start = words[1:], i + 1, False
    if not words:
        return
    titled = False
    k = _split_title(words)
    if k and k < len(words) and " ".join(words) not in g.orgs and words[-1] not in ORG_WORDS \
            and words[-1] not in EVENT_WORDS:
        # ("General Motors", "General Electric Co": a company, not General Motors the officer; "General
        # Agreement": no General called Agreement)
        words, i, titled = words[k:], i + k, True
        if words[0] in CONNECTORS:  # "Minister of Industry and Trade Cahit Aral": the portfolio goes
            while words and (words[0] in _PORTFOLIO_JOINS or words[0].lower() in g.common):
                words, i = words[1:], i + 1
            if not words:
                return
    elif k == len(words):
        return
    m = _inner_start(words, g)
    if m:
        before = m
        while (before and words[before - 1].lower() in g.common and not _known(words[before - 1], g)
               and words[m] in _TITLE_WORDS and not _known(" ".join(words[:before]), g)):
            # "U.S. Trade Representative Clayton Yeutter": "Trade" is the title's; but "Federal Reserve
            # Board Chairman Paul Volcker" names the board
            before -= 1
        if before:
            _emit(toks, i, i + before, words[:before], titled, sent_start, g, out)
        _run(toks, i + m, j, False, g, out)
        return
    while words and words[-1] in CONNECTORS:
        words = words[:-1]
    if words:
        _emit(toks, i, i + len(words), words, titled, sent_start, g, out)


def _sentence_opener(words: list[str], sent_start: bool, g: _Gazetteers) -> bool:
    """Is the run's first word no part of the name? A stop word, or a plain English word opening a
    sentence ("Police said", "The Bank") that is no first name, place, title or acronym, when the run
    is not a known name or one headed by an organisation word ("National Westminster Bank")."""
    w0 = words[0]
    opener = w0 in NEVER or (sent_start and w0.lower() in g.common and w0 not in g.first_names
                             and w0 not in g.places and not w0.isupper() and not _split_title(words)
                             and not (len(words) > 2 and words[-1] in ORG_WORDS)
                             and not (len(words) > 2 and w0 in ORG_WORDS and words[1] in CONNECTORS))
    if not opener:
        return False
    name = " ".join(words)
    return not (name in g.misc or _known(name, g))


def _inner_start(words: list[str], g: _Gazetteers) -> int:
    """Where a second mention starts inside a run, or 0: at a title ("EU Commissioner Franz
    Fischler"), or at a nationality ("Lebanese Druze leader", but not "Cominco American Inc", one
    company, nor after a compass word, "South African")."""
    for m in range(1, len(words)):
        if (words[m] in _TITLE_WORDS and words[m] not in ("General", "Gen") and _split_title(words[m:])) or (
                words[m] in g.demonyms and words[m - 1] not in PLACE_PREFIXES and words[-1] not in LEGAL_SUFFIXES):
            return m
    return 0


def _emit(toks: list[tuple[int, str]], i: int, j: int, words: list[str], titled: bool, sent_start: bool,
          g: _Gazetteers, out: _Found) -> None:
    """Add the words toks[i:j] as a candidate: trimmed of what is no part of a name (_trim), typed
    by the classify rules, then by the words around them where the rules were unsure; a run that
    holds two mentions goes out as two (_emit_split)."""
    span = _trim(words, i, j, g)
    if span is None:
        return
    words, i, j = span
    if len(words) == 2 and words[1] in _TERMS_OF_OFFICE and _surname(words[0], g):
        # "the Reagan Administration", "the Nakasone Government": a leader's term in office, no body
        # with a name of its own; the leader is the mention (and "Administration" vouches for him).
        _emit(toks, i, j - 1, words[:1], titled, sent_start, g, out)
        return
    kind, strong = _classify(words, titled, g)
    if kind in (None, "person") and not titled and (_firm_role_after(toks, j) or _firm_named(toks, i, j)):
        # "Dean Witter analyst Karen Gibbs": Dean Witter employs her; "brokers James Capel said",
        # "the official Tanjug news agency"
        kind, strong = "org", True
    if not strong and _emit_split(toks, i, j, words, titled, sent_start, g, out):
        return
    if kind == "person" and len(words) > 2 and any(_INNER_CAPITAL.match(w) for w in words):
        return  # "Kristi NoemKristi Lynn NoemSouth Dakota": page text glued together, not a name
    if out.team and kind == "person" and not strong and any(w in g.places for w in words):
        kind = "org"  # "Dynamo Moscow", "Lada Togliatti": a club named after its town
    if kind is None and strong:
        return
    if not strong:
        decided = _weak_kind(toks, i, j, words, kind, sent_start, g)
        if decided is None:
            return
        kind, strong = decided
    evidence = kind == "person" and (titled or _person_context(toks, i, j))
    out.append(_Cand(toks[i][0], toks[j - 1][0] + len(toks[j - 1][1]), " ".join(words), kind, strong, False,
                     evidence))


def _trim(words: list[str], i: int, j: int, g: _Gazetteers) -> tuple[list[str], int, int] | None:
    """The words of a run that name something, with their new bounds, or None when none do. Off the
    front go nationalities, stop words and connectors ("Russian", "The"; "European Monetary System"
    is then a thing, not a name), off the back connectors and stop words, and everything up to an
    adjective in "-based" ("Ohio-based KeyCorp"). An initial alone, an adjective ("New York-based",
    "Kremlin-backed") and a senator's party and state ("D-Wis.") are no names."""
    nationality = False
    while words and (words[0] in g.demonyms or words[0] in NEVER or words[0] in CONNECTORS) and not _known(
            " ".join(words), g) and not _national_company(words, g):
        nationality = nationality or words[0] in g.demonyms
        words, i = words[1:], i + 1
    if nationality and words and not _known(" ".join(words), g) and all(
            w.lower() in g.common and w not in ORG_WORDS and w not in PLACE_WORDS and w not in _TITLE_WORDS
            for w in words):
        return None
    while words and (words[-1] in CONNECTORS or words[-1] in NEVER):
        words, j = words[:-1], j - 1
    if not words or len(words) == 1 and len(words[0]) == 2 and words[0][1] == ".":
        return None
    if "-" in words[-1] and words[-1].rsplit("-", 1)[1].islower():
        return None
    if len(words) == 1 and "-" in words[0] and _PARTY_STATE.fullmatch(words[0]):
        return None
    for m in range(len(words) - 2, -1, -1):
        if "-" in words[m] and words[m].rsplit("-", 1)[1].islower():
            return words[m + 1:], i + m + 1, j  # "St. Louis-based Mercantile"
    return words, i, j


def _emit_split(toks: list[tuple[int, str]], i: int, j: int, words: list[str], titled: bool, sent_start: bool,
                g: _Gazetteers, out: _Found) -> bool:
    """Emit a weakly typed run that holds two mentions as its parts, and say whether it did: a known
    country or region glued to an unknown name ("Lebed Chechnya plan"), or a known place before plain
    words in capitals ("U.S. Officials said", "U.S. Exports rose": the place only)."""
    if len(words) < 2:
        return False
    if not out.team and g.places.get(words[-1]) in ("country", "region"):
        _emit(toks, i, j - 1, words[:-1], titled, sent_start, g, out)
        _emit(toks, j - 1, j, words[-1:], False, False, g, out)
        return True
    k = _place_before_plain_words(words, g)
    if k:
        _emit(toks, i, i + k, words[:k], False, sent_start, g, out)
        return True
    return False


def _weak_kind(toks: list[tuple[int, str]], i: int, j: int, words: list[str], kind: str | None, sent_start: bool,
               g: _Gazetteers) -> Decision | None:
    """(type, strong) for a name the classify rules were unsure of, from the words around it, or None
    when it is no name: "the village of Mahala" is a place; "cables giant Pirelli", "news agency
    Tanjug", "Pirelli's shares" an organisation; one word is a person after "said", before "who" or
    in a role ("Hellmann, 61,", "chairman Hellmann"; not "said Federal funds were ..."), a company by
    its spelling ("NationsBank", "KeyCorp"), a place after "in" or "near"; a plain word opening a
    sentence is no name."""
    if i > 1 and toks[i - 1][1] == "of" and toks[i - 2][1] in PLACE_NOUNS:
        return "place", False
    if kind != "place" and _org_context(toks, i, j):
        return "org", True
    if len(words) > 1:
        return kind, False
    word = words[0]
    nxt = toks[j][1] if j < len(toks) else ""
    prev = toks[i - 1][1] if i > 0 else ""
    if kind is None and sent_start and word.lower() in g.common:
        return None
    after = toks[j + 1][1] if j + 1 < len(toks) else ""
    if kind is None and (nxt in SAY_WORDS or nxt == "," and after in ("who", "whose")
                         or prev in ("b", "c", "st")  # cricket: "c Vaas b Muralitharan"
                         or word.lower() not in g.common and word not in NOT_ACRONYMS
                         and _person_context(toks, i, j)):
        return "person", False
    if kind in (None, "person") and _company_shape(word):
        return "org", False
    if prev in LOC_BEFORE and word.lower() not in g.common:
        return "place", False
    return kind, False


_PARTY_STATE = re.compile(r"[DRI]-[A-Z][A-Za-z]{1,5}")
_TERMS_OF_OFFICE = frozenset(("Administration", "Government", "Cabinet"))


def _surname(word: str, g: _Gazetteers) -> bool:
    """A person's surname: one the famous-people table knows, or a census surname that is no
    English word, place or organisation."""
    found = lookup(word)
    if found:
        return found[1] == "person"
    return word in g.surnames and word not in g.places and word not in g.orgs


# Jobs at a firm, between the firm's name and the person's: "Dean Witter analyst Karen Gibbs",
# "Salomon economist John Lipsky" (a person's aide or spokesman may follow a person's name).
_FIRM_ROLES = frozenset("analyst analysts economist economists strategist strategists trader traders dealer "
                        "dealers broker brokers".split())


def _firm_role_after(toks: list[tuple[int, str]], j: int) -> bool:
    return j + 1 < len(toks) and toks[j][1] in _FIRM_ROLES and _capword(toks[j + 1][1])


# What a firm or an agency is, right before its name ("brokers James Capel", "news agency Tanjug") or
# right after it ("the Tanjug news agency", "the Asahi newspaper"): there even a first name opening
# the name does not make a person.
_FIRM_BEFORE = frozenset("broker brokers brokerage brokerages stockbroker stockbrokers firm agency".split())
_FIRM_AFTER = frozenset("agency newspaper".split())


def _firm_named(toks: list[tuple[int, str]], i: int, j: int) -> bool:
    if i > 0 and toks[i - 1][1].lower() in _FIRM_BEFORE:
        return True
    nxt = toks[j][1] if j < len(toks) else ""
    after = toks[j + 1][1] if j + 1 < len(toks) else ""
    return nxt in _FIRM_AFTER or nxt == "news" and after == "agency"


def _place_before_plain_words(words: list[str], g: _Gazetteers) -> int:
    """How many leading words name a known place when the words after it are plain English words
    that head no name ("U.S. Officials"; not "U.S. Steel" or "Japan Airlines"), else 0."""
    for k in range(len(words) - 1, 0, -1):
        rest = words[k:]
        if any(w in ORG_WORDS or w in PLACE_WORDS or w in _STATE_BODIES or w.lower() not in g.common
               for w in rest):  # ("UK Government" is a body)
            return 0
        head = " ".join(words[:k])
        found = lookup(head)
        if found and found[1] == "place" or head in g.places:
            return k
    return 0


# Lower-case words for what only a person is, before a name ("White House spokesman Marlin Fitzwater",
# "Bank of Japan governor Satoshi Sumita", "investor Asher Edelman") or after it and a comma ("Beryl
# Sprinkel, chairman of ..."). Not the roles a firm takes too (manager, adviser, underwriter, dealer).
PERSON_ROLES = frozenset("""spokesman spokeswoman spokesperson governor chief leader investor minister chairman
chairwoman analyst economist president director official secretary representative aide strategist executive
head commissioner ambassador senator congressman congresswoman delegate envoy negotiator premier mayor
treasurer speaker lawyer attorney professor founder vice deputy undersecretary chancellor prosecutor judge
columnist editor author writer actor singer coach player striker captain reporter correspondent journalist
photographer commentator historian scientist researcher professor
founder co-founder cofounder artist chef instructor teacher poet novelist
musician rapper comedian filmmaker entrepreneur activist lawmaker politician candidate blogger podcaster
athlete actress dancer guitarist drummer pianist composer architect pastor rabbi imam wife husband son
daughter brother sister widow CEO CFO CTO COO""".split())  # (not owner, creator, host, designer: firms too)
# The roles a described apposition may end in ("Jane Doe, the company's chief executive,"): not those
# that describe firms and things as well ("Instagram, a leader in", "LEDs, a speaker and").
_DESCRIBED_ROLES = PERSON_ROLES - frozenset("leader head chief player speaker executive delegate".split())
# Words before a name that say a person is speaking: '..., said Ward McCarthy of Merrill Lynch'.
_SAID_BEFORE = frozenset("said says noted added".split())
_AGE = re.compile(r"\d\d,?")  # the tokeniser keeps a number's trailing comma: "61,"


def _person_context(toks: list[tuple[int, str]], i: int, j: int) -> bool:
    """Words around toks[i:j] that only a person takes: a role noun before it ("spokesman Marlin
    Fitzwater", "his wife Jane Doe"), "said" before it, a byline ("By Jane Doe" opening a line), or
    after it "who", an age ("Wagner, 54,"), a birth year ("Yasumasa Morimura (b. 1951"), a comma and
    a role ("Beryl Sprinkel, chairman of ...") or a comma and a described role ("Jane Doe, the
    company's chief executive,"; not "Google Cloud, the company's cloud platform")."""
    prev = toks[i - 1][1] if i > 0 else ""
    if prev in PERSON_ROLES or prev in _SAID_BEFORE or prev in _SINGLE_TITLES or prev == "By" and i == 1:
        return True  # "Mr" and its kind are no part of a run ("Mr Gorvell")
    nxt = toks[j][1] if j < len(toks) else ""
    after = toks[j + 1][1] if j + 1 < len(toks) else ""
    if nxt in ("who", "whose") or nxt == "(" and after in ("b", "born"):
        return True
    if nxt != ",":
        return False
    if after in ("who", "whose") or _AGE.fullmatch(after) is not None:
        return True
    if after in PERSON_ROLES:  # "Beryl Sprinkel, chairman of"; not "At Huso, chef Buddha Lo"
        return j + 2 >= len(toks) or not _capword(toks[j + 2][1])
    return after in _DETERMINERS and _described_role(toks, j + 2)


_DETERMINERS = frozenset("the a an its our their his her my your".split())
# Words that may end a described role: "the company's chief executive", "a former minister of ...".
_ROLE_ENDS = frozenset(", . ; : ( ) of at for in and who with from since".split())


def _described_role(toks: list[tuple[int, str]], k: int) -> bool:
    """Do the next few words name a role, as their last word before a stop ("the company's chief
    executive," "a founding partner at")? A role word that only qualifies another word ("chief
    product") does not count."""
    for m in range(k, min(k + 5, len(toks))):
        word = toks[m][1]
        if word in _ROLE_ENDS:
            return False
        nxt = toks[m + 1][1] if m + 1 < len(toks) else "."
        if word.lower() in _DESCRIBED_ROLES and (nxt in _ROLE_ENDS or nxt in "'’"):
            return True
    return False


# Nouns that name what an organisation is, just before its name: "cables giant Pirelli".
ORG_BEFORE = frozenset("""giant giants group firm company maker makers bank carrier airline insurer rival
conglomerate retailer broker brokerage operator subsidiary club side newspaper daily weekly agency
manufacturer producer chain concern lender shipper supplier distributor outfit champions holders brewer
automaker carmaker refiner miner utility""".split())
# What an organisation has, after its possessive: "Pirelli 's cables division".
ORG_AFTER = frozenset("""shares stock unit units subsidiary subsidiaries division board stake profit profits
earnings results bid takeover parent shareholders operations plant plants revenue revenues sales
turnover stores factory factories""".split())


def _org_context(toks: list[tuple[int, str]], i: int, j: int) -> bool:
    """Words around toks[i:j] that only an organisation's name takes."""
    if i > 0 and toks[i - 1][1] in ORG_BEFORE:
        return True
    n = len(toks)
    if j + 2 < n and toks[j][1] in "'’" and toks[j + 1][1] == "s":
        k = j + 2
        while k < n - 1 and toks[k][1].islower() and toks[k][1] not in ORG_AFTER and k < j + 4:
            k += 1  # "Pirelli 's cables division"
        return toks[k][1] in ORG_AFTER
    return j + 1 < n and toks[j][1] in _ORG_NEXT and toks[j + 1][1] not in ("of", "in")


# Words right after a name that only an organisation takes: "Cofinec CEO Stephen Frater",
# "Deportivo chairman Augusto Lendoiro", "Pirelli shares".
_ORG_NEXT = frozenset("shares stock CEO chairman shareholders executives".split())


_INNER_CAPITAL = re.compile(r"^(?!Mc|Mac|De|Di|Da|Du|La|Le|Van|Von)[A-Z][a-z]+[A-Z][a-z]+$")
_COMPANY_ENDINGS = ("bank", "corp", "tel", "com", "tech", "soft", "telecom", "trans")


def _company_shape(word: str) -> bool:
    """'NationsBank', 'KeyCorp', 'Rabobank', 'Telekom': spelled as companies name themselves."""
    return bool(_INNER_CAPITAL.match(word)) or len(word) > 6 and word.lower().endswith(_COMPANY_ENDINGS)


def _resolve(cands: list[_Cand], text: str, g: _Gazetteers) -> list[_Cand]:
    """Document-level consistency: each name takes the type the document gives it (_document_kind),
    an untyped name listed with typed ones takes theirs (_coordinate), in a team-sports story a town
    that plays is a team (_team_kind), and names listed with a person the text vouches for are people
    (_listed_people). Names left untyped go."""
    sport = _sport(text)
    typed, surnames = _document_types(cands)
    kinds = [_document_kind(c, typed, surnames, sport, text) for c in cands]
    _coordinate(cands, kinds, text, g)
    kept = [_Cand(c.start, c.end, c.name, _team_kind(c, kind, text, g) if sport == "team" else kind, c.strong,
                  c.caps, c.evidence) for c, kind in zip(cands, kinds, strict=True) if kind is not None]
    _listed_people(kept, text)
    return kept


def _document_types(cands: list[_Cand]) -> tuple[dict[str, str], set[str]]:
    """The type the text gives each name outside lines in capitals (a strongly typed mention first,
    else the first typed one), and the words that are a person's surname in it (every word of a
    strongly typed person's name, the last of a weakly typed one)."""
    typed: dict[str, str] = {}
    surnames: set[str] = set()
    for c in cands:
        if c.kind and c.strong and not c.caps:
            typed.setdefault(c.name, c.kind)
    for c in cands:
        if c.kind and not c.caps:
            typed.setdefault(c.name, c.kind)
            if c.kind == "person" and " " in c.name:
                surnames.update(c.name.split() if c.strong else c.name.split()[-1:])
    return typed, surnames


def _document_kind(c: _Cand, typed: dict[str, str], surnames: set[str], sport: str | None, text: str) -> str | None:
    """One mention's type in its document: a surname of the text's people is a person ("Gerhard
    Stoltenberg ... Stoltenberg"); a weak or untyped mention takes the text's type for the name; an
    untyped name on a results row is a player in an individual sport, a team in a team sport."""
    if c.name in surnames and lookup(c.name) is None:
        return "person"
    if c.name in typed and (not c.strong or c.kind is None):
        return typed[c.name]
    if c.kind is None and sport == "individual" and not c.caps and _table_line(text, c):
        return "person"
    if c.kind is None and sport == "team" and _score_line(text, c) and not c.name.isdigit():
        return "org"
    return c.kind


def _team_kind(c: _Cand, kind: str, text: str, g: _Gazetteers) -> str:
    """In a team-sports story, a name that could be a team (_plays) is one on a results row, and,
    unless it is a person, on a standings row or when not named as a venue ("at Chicago"); a
    dateline keeps its place."""
    if not _dateline(text, c) and _plays(c, kind, g) and (
            _score_line(text, c) or kind != "person" and (_table_line(text, c) or not _after_at(text, c))):
        return "org"
    return kind


def _listed_people(cands: list[_Cand], text: str) -> None:
    """Names listed with a person the text vouches for are people too: "by Josh Dawsey, Tyler Pager
    and Isaac Arnsdorf" (Tyler is a first name). In place, both ways along the list."""
    for order in (range(len(cands) - 1), range(len(cands) - 2, -1, -1)):
        for a in order:
            x, y = cands[a], cands[a + 1]
            if x.kind != "person" or y.kind != "person" or (x.strong or x.evidence) == (y.strong or y.evidence):
                continue
            if text[x.end:y.start].strip() in _LIST_JOINS:
                x.evidence = y.evidence = True


_LIST_JOINS = frozenset((",", "and", ", and", "or"))


def _coordinate(cands: list[_Cand], kinds: list[str | None], text: str, g: _Gazetteers) -> None:
    """An untyped name listed with typed ones takes their type: "Did not bat: Dharmasena, Vaas,
    Muralitharan", "Clinton, Dole and Perot". Both ways along the list, in place."""
    for order in (range(len(cands) - 1), range(len(cands) - 2, -1, -1)):
        for a in order:
            b = a + 1
            if (kinds[a] is None) == (kinds[b] is None) or cands[a].caps or cands[b].caps:
                continue
            source = cands[b] if kinds[a] is None else cands[a]
            if source.name.isupper() and not source.strong:
                continue  # an acronym typed by its shape alone vouches for nothing ("Javelin and NLAW")
            target = cands[a] if kinds[a] is None else cands[b]
            if target.name.lower() in g.common:
                continue  # "Finance and Industry, Ahmed Humaid": a plain word is no name
            if text[cands[a].end:cands[b].start].strip() in _LIST_JOINS:
                if kinds[a] is None:
                    kinds[a] = kinds[b]
                else:
                    kinds[b] = kinds[a]


_AT = re.compile(r"\b(?:in|at|near|from|to|of)\s+(?:the\s+)?$", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,/:-]\d+)*(?![\w.])")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")


def _plays(c: _Cand, kind: str, g: _Gazetteers) -> bool:
    """Could this name be a team in a sports story? Towns and cities can, countries keep their type."""
    if kind == "person":
        return not c.strong
    if kind == "place":
        return g.places.get(canonicalize(c.name, "place"), g.places.get(c.name)) != "country"
    return True


_SCORE_ROW = re.compile(r"[ \t]*(?:[^\W\d][^\d\n]*?[ \t](?:\d+[ \t]+){4,}\d+"
                        r"|[^\W\d][^\d\n]*?[ \t]\d+[ \t]+[^\W\d][^\d\n]*?[ \t]\d+)\b")


def _score_line(text: str, c: _Cand) -> bool:
    """'Celtic 2 Rangers 1' or 'Stoke 4 3 1 0 7 4 10': every name on a result or standings row is a team."""
    a = text.rfind("\n", 0, c.start) + 1
    return bool(_SCORE_ROW.match(text, a))


def _after_at(text: str, c: _Cand) -> bool:
    """'at Chicago', 'in London': a place named as a venue stays a place in sports stories."""
    return bool(_AT.search(text, max(0, c.start - 12), c.start))


def _table_line(text: str, c: _Cand) -> bool:
    """A results or standings row: several numbers and hardly any lower-case words."""
    a = text.rfind("\n", 0, c.start) + 1
    b = text.find("\n", c.end)
    line = text[a:b if b >= 0 else len(text)]
    return len(_NUMBER.findall(line)) >= 2 and len(_LOWER_WORD.findall(line)) <= 2


def _dateline(text: str, c: _Cand) -> bool:
    """'LONDON 1996-08-30': a place opening a line and followed by a date is where the story was filed."""
    line_start = text.rfind("\n", 0, c.start) + 1
    return line_start == c.start and bool(re.match(r"\s+\d{4}-\d\d-\d\d", text[c.end:c.end + 12]))


def extract_mentions(text: str, year: int | None = None) -> list[Mention]:
    """Every mention with offsets and canonical name, names resolved on the text's own evidence.

    A bare surname takes the full name the text uses for that surname ("Gerhard Stoltenberg ...
    Stoltenberg"); else the famous-people table's full name when the text supports it
    (canonical.SURNAME_EVIDENCE: one of the person's anchors, or another person of that table, named
    in full in the text, and `year`, when known, not before their time); else it stays a bare surname.
    A name guessed to be a person by its shape alone that opens an organisation's name in the same
    text is that organisation ("Salomon" beside "Salomon Brothers Inc"), and an organisation's name
    that is the tail of a longer one in the text is that one ("Express" beside "American Express Co").
    An abbreviation the text defines ("the National Association of Purchasing Management (NAPM)")
    takes its long form's name and type.
    Nothing outside the text (and its year) decides a name, so an article gets the same names
    whatever else is indexed.
    """
    return [m for m, _ in _extract(text, year)]


def _extract(text: str, year: int | None) -> list[tuple[Mention, bool]]:
    """The mentions of extract_mentions, each with whether the text vouches for it being a person
    (a title, a first name, "who": see article_entities)."""
    if not isinstance(text, str) or not text:
        return []
    g = _gaz()
    cands, defined = _typed_candidates(text, g)
    canon, kinds = _canonical_names(text, cands, defined, year, g)
    names = _TextNames(text, year, g, canon, kinds, cands)
    _given_name_variants(names, cands, canon, kinds)
    _shouted_parts(text, cands, canon, kinds, g)
    return [_final_mention(names, c, name, kind, w)
            for c, name, kind, w in zip(cands, canon, kinds, names.woman, strict=True) if name]


def _typed_candidates(text: str, g: _Gazetteers) -> tuple[list[_Cand], dict[str, tuple[str, str]]]:
    """The text's candidates typed in the document (_resolve), with the uses of the abbreviations it
    defines, without what it defines for programmes and agreements; and those abbreviations."""
    cands = _resolve(_bracketed_companies(text, [c for c in _candidates(text, g) if not _ticker_suffix(text, c)]),
                     text, g)
    defined = _abbreviations(text, cands, g)
    if defined:
        cands = _with_abbreviations(text, cands, defined)
    things = _defined_things(text)
    if things:
        cands = [c for c in cands if c.name not in things]
    return cands, defined


def _canonical_names(text: str, cands: list[_Cand], defined: dict[str, tuple[str, str]], year: int | None,
                     g: _Gazetteers) -> tuple[list[str], list[str]]:
    """Each candidate's canonical name and type: a defined abbreviation's long form, a bare surname
    of the famous-people table as it stands (decided on evidence later), an organisation's name
    (_org_name, with whose it is: _qualified), a place as named in the article's year and spelt as
    the gazetteer spells it ("Sao Paulo")."""
    canon: list[str] = []
    kinds: list[str] = []
    for k, c in enumerate(cands):
        kind = c.kind
        if kind == "org" and c.name not in defined:
            c = _qualified(text, cands, k, g)
        if c.name in defined:
            name, kind = defined[c.name]
        elif kind == "person" and is_surname_alias(c.name):
            name = c.name
        elif kind == "org":
            name = _org_name(c.name, g)
        else:
            name = canonicalize(c.name, kind)
            if kind == "place":
                name = name_at_the_time(name, year)
                if not name.isascii() and _ascii(name) in g.places:
                    name = _ascii(name)
        canon.append(name)
        kinds.append(kind)
    return canon, kinds


class _TextNames:
    """What the whole text says about its names, for deciding each mention's final name: the full
    name each surname stands for (None when two people share it), the names present, the
    organisations, the surnames it marks as a person's in office, and which mentions follow a
    woman's title."""

    def __init__(self, text: str, year: int | None, g: _Gazetteers, canon: list[str], kinds: list[str],
                 cands: list[_Cand]) -> None:
        self.text, self.year, self.g = text, year, g
        self.full: dict[str, str | None] = {}
        for name, kind in zip(canon, kinds, strict=True):
            if kind == "person" and " " in name:
                self.add_tails(name)
        self.present = set(canon)
        self.orgs = _OrgNames(((c.name, n) for c, n, k in zip(cands, canon, kinds, strict=True) if k == "org" and n))
        # "Mrs Reagan", "Ms Obama": a woman, so no man of the famous-people table, and no title for him.
        self.woman = [_WOMANS_TITLE.search(text, max(0, c.start - 12), c.start) is not None for c in cands]
        # A title ("President Reagan") or "the Reagan administration" marks a surname as a person's in
        # office; one such mention vouches for every mention of that surname in the text.
        self.titled = {name for c, name, kind, w in zip(cands, canon, kinds, self.woman, strict=True)
                       if kind == "person" and " " not in name and not w
                       and (c.evidence or _OFFICE_AFTER.match(text, c.end))}

    def add_tails(self, name: str) -> None:
        """'Willy de Clercq': "De Clercq", "de Clercq" and "Clercq" stand for him (unless for two)."""
        words = name.split()
        for k in range(1, len(words)):
            for tail in {" ".join(words[k:]), " ".join((words[k][:1].upper() + words[k][1:], *words[k + 1:]))}:
                self.full[tail] = name if self.full.get(tail, name) == name else None


def _given_name_variants(names: _TextNames, cands: list[_Cand], canon: list[str], kinds: list[str]) -> None:
    """'House Speaker James Wright' is Jim Wright, on the evidence his bare surname would need
    (canonical.familiar_form). In place."""
    for k, (c, name, kind) in enumerate(zip(cands, canon, kinds, strict=True)):
        familiar = familiar_form(name) if kind == "person" and " " in name else None
        surname = familiar and name.rsplit(" ", 1)[-1]
        if familiar and _famous(surname, names.present, names.year, c.evidence or surname in names.titled) == familiar:
            canon[k] = familiar
            names.full.update({tail: familiar for tail, whole in names.full.items() if whole == name})
            names.present.add(familiar)


def _final_mention(names: _TextNames, c: _Cand, name: str, kind: str, woman: bool) -> tuple[Mention, bool]:
    """The mention with its final name, and whether the text vouches for it being a person. A bare
    surname takes the text's full name, else the famous-people table's on evidence (_famous); a name
    guessed a person that opens an organisation's name of the text is that organisation ("Salomon
    said" beside "Salomon Brothers Inc"); an organisation's tail, short form or initials take the
    text's whole name ("Express", "Commodity Credit", "GM")."""
    text = names.text
    folded = kind == "person" and bool(names.full.get(name))
    if folded:
        name = names.full[name]
    elif kind == "person" and " " not in name:
        found = _famous(name, names.present, names.year, name in names.titled)
        name = found if found and (not woman or found in WOMEN) else name
    if kind == "person" and not c.evidence and not folded:
        whole = names.orgs.opened_by(name)
        if whole:
            kind, name = "org", whole
    elif kind == "org":
        orgs = names.orgs
        name = orgs.ended_by(name, names.g.common) or orgs.with_form(name) or orgs.initials_of(name) or name
    # "Reagan aide Howard Baker": a surname the famous-people table knows, named only as whose
    # aide someone is, is no evidence of that person unless the table's evidence resolves it.
    attributive = name == c.name and is_surname_alias(name) and _AIDE_AFTER.match(text, c.end)
    # A surname alone after the full name, speaking ("Palihapitiya said"): how news names a person
    # the second time (a firm or a product is named again by its first word, "Salomon said").
    speaks = folded and c.name[1:].islower() and _SPEAKS_AFTER.match(text, c.end) is not None
    return (Mention(text[c.start:c.end], c.start, c.end, kind, name),
            kind == "person" and (c.strong and not attributive or c.evidence or speaks))


def _shouted_parts(text: str, cands: list[_Cand], canon: list[str], kinds: list[str], g: _Gazetteers) -> None:
    """A town in a headline in capitals that stands there inside an organisation's name the body
    gives is part of that name: "MCDONNELL DOUGLAS GETS ORDER" over "McDonnell Douglas Corp said"
    names no Douglas, "MANUFACTURERS HANOVER SETS DIVIDEND" no Hanover. It takes that name (or goes,
    when two names hold it); a dateline ("MADRID 1996-08-30"), a country or a region keeps its type.
    In place."""
    if not any(c.caps and kind == "place" for c, kind in zip(cands, kinds, strict=True)):
        return
    body_places = {name for c, name, kind in zip(cands, canon, kinds, strict=True) if kind == "place" and not c.caps}
    body_orgs = {(f" {c.name.casefold()} ", name) for c, name, kind in zip(cands, canon, kinds, strict=True)
                 if kind == "org" and not c.caps and " " in c.name}
    if not body_orgs:
        return
    for k, (c, name, kind) in enumerate(zip(cands, canon, kinds, strict=True)):
        if not c.caps or kind != "place" or name in body_places or g.places.get(name) in ("country", "region"):
            continue
        before = text[text.rfind("\n", 0, c.start) + 1:c.start].split()
        after = text[c.end:text.find("\n", c.end) % (len(text) + 1)].split()
        pairs = [f" {w} {c.name} ".casefold() for w in before[-1:]] + [f" {c.name} {w} ".casefold() for w in after[:1]]
        holders = {org for raw, org in body_orgs if any(pair in raw for pair in pairs)}
        if holders:
            kinds[k] = "org"
            canon[k] = holders.pop() if len(holders) == 1 else ""


_SPEAKS_AFTER = re.compile(r"[ \t]+(?:said|says|told|added|explained|wrote|writes|recalled|argued|noted|"
                           r"recalls|remembers|believes|thinks|insisted|admitted|replied)\b")
_AIDE_AFTER = re.compile(r"[ \t]+(?:aide|aides|adviser|advisers|advisor|ally|allies)[ \t]+[A-Z]")


_BRACKET_FORM = re.compile(r"[ \t]*\(([^()\n]{1,30})\)[ \t]*(?:Ltd|Limited|Inc|Corp|Co|Plc|PLC|Pty|SA|AG|NV|BV)\b")


def _bracketed_companies(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A name, a part in brackets, then a legal form is one company ("James Capel (Far East) Ltd",
    "BOT International (HK) Ltd"): the name is an organisation, the bracketed part no name of its own."""
    inside: list[tuple[int, int]] = []
    out = []
    for c in cands:
        if any(a <= c.start and c.end <= b for a, b in inside):
            continue
        m = _BRACKET_FORM.match(text, c.end)
        if m and c.kind != "place":
            inside.append((m.start(1), m.end(1)))
            c = _Cand(c.start, c.end, c.name, "org", True, c.caps)
        out.append(c)
    return out


_WOMANS_TITLE = re.compile(r"\b(?:Mrs|Ms|Miss|Madame|Mme|Lady|First Lady)\.?[ \t]+$")
_OFFICE_AFTER = re.compile(r"[ \t]+(?:[Aa]dministration|[Gg]overnment|[Cc]abinet)\b")


def _ticker_suffix(text: str, c: _Cand) -> bool:
    """The exchange code of a ticker ("<CKGH.HK>", "(MONI.MI)"): letters glued by a dot to the ticker
    before them, an initial of a market, not a name."""
    if len(c.name) > 2 or not c.name.isupper() or c.start < 2:
        return False
    return (text[c.start - 1] == "." and text[c.start - 2].isalnum()
            or text[c.start - 2:c.start] == ". " and text[c.end:c.end + 1] == ">")  # "<SWPC. HK>"


_POSSESSIVE_GAP = re.compile(r" ?['’]s $")


def _qualified(text: str, cands: list[_Cand], k: int, g: _Gazetteers) -> _Cand:
    """A body named in plain words with whose it is just before it takes that in its name: "the
    Swedish Central Bank" (the nationality outside the mention, as in "German Foreign Ministry")
    and "Turkey's Central Bank" are the Swedish and the Turkish Central Bank, one name per country."""
    c = cands[k]
    words = c.name.split()
    if words[-1] not in ORG_WORDS or not all(w.lower() in g.common for w in words):
        return c
    before = text[max(0, c.start - 40):c.start]
    m = _ADJECTIVE_BEFORE.search(before)
    if m and m.group(1) in g.nationality:
        return _Cand(c.start, c.end, f"{m.group(1)} {c.name}", c.kind, c.strong, c.caps, c.evidence)
    p = cands[k - 1] if k else None
    if p and p.kind == "place" and _POSSESSIVE_GAP.fullmatch(text[p.end:c.start]):
        place = canonicalize(p.name, "place")
        adjective = _demonym_of().get(place, place)
        return _Cand(c.start, c.end, f"{adjective} {c.name}", c.kind, c.strong, c.caps, c.evidence)
    return c


_ADJECTIVE_BEFORE = re.compile(r"\b((?:West |East |South |North )?[A-Z][a-z]+) $")


@cache
def _demonym_of() -> dict[str, str]:
    """Country -> its nationality adjective ("Turkey" -> "Turkish"), the first the table gives."""
    out: dict[str, str] = {}
    for adjective, country in _gaz().nationality.items():
        out.setdefault(canonicalize(country, "place"), adjective)
    return out


_FORMS = {"Corp": "Corporation", "Corp.": "Corporation", "Corporation": "Corporation", "Co": "Company",
          "Co.": "Company", "Company": "Company"}
# Words after a company's name for the whole of a business group, its holding company: "E.F. Hutton
# Group Inc", "Morgan Stanley Group", "Shell Group" are E.F. Hutton, Morgan Stanley and Shell.
_GROUP_TAILS = frozenset(("Group", "Holdings", "Holding"))
# A bank's name before "Trust" is the bank: "Morgan Guaranty Trust Co" and "Manufacturers Hanover
# Trust" are Morgan Guaranty and Manufacturers Hanover (not "Bankers Trust", one plain word).
_TRUST = "Trust"
# The tail of a partnership's name, which it drops when named short ("Salomon said", "Salomon Inc").
_PARTNERSHIP_TAILS = frozenset(("Brothers", "Bros", "Bros."))


def _org_name(name: str, g: _Gazetteers) -> str:
    """canonicalize() for an organisation, but a name of plain words keeps its legal form, spelt out:
    "Commodity Credit Corp" is the Commodity Credit Corporation, not "Commodity Credit" (while
    "General Motors Corp" is General Motors: its last word says what it makes). So does a company of
    a group name (canonical.GROUP_NAMES): "Mitsubishi Corp" is the Mitsubishi Corporation, one company
    of the group, not "Mitsubishi". A holding company's group word goes ("E.F. Hutton Group"), and a
    company the organisation list names only with a partnership's tail is that partnership ("Salomon
    Inc", the parent of "Salomon Brothers", is named in the same roles, underwriter and analyst's
    employer, as Salomon Brothers: one firm to a reader)."""
    canonical = canonicalize(name, "org")
    last = name.split()[-1] if " " in name else ""
    if last in _FORMS and canonical and canonical != name and lookup(canonical) is None:
        words = canonical.split()
        if words[-1] not in ORG_WORDS and all(w.lower() in g.common for w in words) or canonical in GROUP_NAMES:
            if canonical in GROUP_NAMES and re.search(r"(?:and|&) Co\.?$", name):
                return f"{canonical} & Co"  # "Mitsui and Co"
            return f"{canonical} {_FORMS[last]}"
    return _group_head(canonical, last in LEGAL_SUFFIXES, g) or _partnership(canonical, g) or canonical


def _group_head(name: str, company: bool, g: _Gazetteers) -> str | None:
    """'E.F. Hutton Group Inc' -> 'E.F. Hutton': a company's name before a group word, when the name
    is a company's (listed, or named with a legal form and not made of plain words or places).
    "Contact Group", "Cairns Group" (no legal form: a group of states) and "Group of Five" stay. And
    a bank's name of two words or more before "Trust" ("Morgan Guaranty Trust")."""
    words = name.split()
    if len(words) > 2 and words[-1] == _TRUST and not all(w.lower() in g.common for w in words[:-1]):
        return " ".join(words[:-1])
    if len(words) < 2 or words[-1] not in _GROUP_TAILS:
        return None
    head = " ".join(words[:-1])
    if head in g.orgs or lookup(head):
        return canonicalize(head, "org")
    if not company or head in g.places or all(w.lower() in g.common or w in g.places for w in words[:-1]):
        return None
    return head


def _partnership(name: str, g: _Gazetteers) -> str | None:
    """'Salomon' -> 'Salomon Brothers': a one-word name the organisation list holds only as a
    partnership's name with that word first."""
    if " " in name or name in g.orgs or lookup(name):
        return None
    return _partnerships().get(name)


@cache
def _partnerships() -> dict[str, str]:
    """First word -> listed partnership name ("Salomon" -> "Salomon Brothers"), for one-word heads."""
    out: dict[str, str] = {}
    for org in sorted(_gaz().orgs):
        words = org.split()
        if len(words) == 2 and words[1] in _PARTNERSHIP_TAILS:
            out[words[0]] = org
    return out


# Words after a company's own name that say what it makes or does, which it drops when named short:
# "Ford Motor Co" is Ford, "Moody's Investors Service" is Moody's, "Dow Chemical" is Dow, "Merrill
# Lynch Capital Markets" is Merrill Lynch, "Continental Airlines" is Continental.
DESCRIPTORS = (("Investors", "Service"), ("Motor",), ("Motors",), ("Chemical",), ("Chemicals",), ("Oil",),
               ("Petroleum",), ("Capital", "Markets"), ("Securities",), ("International",), ("Airlines",),
               ("Air", "Lines"), ("Industrie",), ("Bank",))


def _short_forms(names: set[str], g: _Gazetteers) -> dict[str, str]:
    """The one facet value for a company named with and without its descriptor, where the text
    supports that they are one body. Where the organisation gazetteer names the company short
    ("Ford", "Moody's"), that short name, in every article ("Ford Motor Co" is Ford); else, where
    the text names it both ways ("Halvorsen Chemical Corp ... Halvorsen shares"), the long one. Not
    when the text names that short name with two descriptors ("Mitsubishi Motors" and "Mitsubishi
    Chemical" stay apart, and so does a bare "Mitsubishi"), and never for a group's name that several
    companies share (canonical.GROUP_NAMES: "Mitsubishi Motors" is not the Mitsubishi Corporation,
    even in a text that names no other Mitsubishi)."""
    out: dict[str, str] = {}
    split: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name in sorted(names):  # (sorted: the result must not depend on a set's order)
        listed = _listed_head(name, g)
        if listed:  # a listed company's units: "Nomura Securities", "Nomura Securities International"
            out[name] = listed
            continue
        words = tuple(name.split())
        for tail in DESCRIPTORS:
            if len(words) > len(tail) and words[-len(tail):] == tail:
                head = " ".join(words[:-len(tail)])
                if head not in GROUP_NAMES:
                    split[name] = (head, tail)
                break
    for name, (head, tail) in split.items():
        if head in names and head not in out and not any(h == head and t != tail for h, t in split.values()):
            out[head] = name
    for name in sorted(names):  # "E.F. Hutton Group said" beside "E.F. Hutton Group Inc" (E.F. Hutton)
        words = name.split()
        if len(words) > 1 and words[-1] in _GROUP_TAILS and " ".join(words[:-1]) in names:
            out.setdefault(name, " ".join(words[:-1]))
    return out


def _listed_head(name: str, g: _Gazetteers) -> str | None:
    """The listed company a name stands for once its descriptors are dropped, one after another
    ("Nomura Securities International" -> Nomura), else None; never a group's name."""
    words = tuple(name.split())
    while True:
        for tail in DESCRIPTORS:
            if len(words) > len(tail) and words[-len(tail):] == tail:
                words = words[:-len(tail)]
                break
        else:
            return None
        head = " ".join(words)
        if head in GROUP_NAMES:
            return None
        if head in g.orgs:
            return canonicalize(head, "org")


class _OrgNames:
    """The organisations a text names, to find the whole name a short mention stands for."""

    def __init__(self, written) -> None:
        """`written`: (name as written, canonical name) of each organisation mention of the text."""
        written = set(written)
        self.names = sorted({name for _, name in written})
        # "Securities and Exchange Commission" is SEC: its tail "Exchange Commission" must find it by
        # the words written, which the canonical name no longer has.
        self.written = sorted((w, name) for w, name in written if w != name)

    def opened_by(self, name: str) -> str | None:
        """The one organisation whose name starts with the words of `name` ("Salomon" -> "Salomon
        Brothers", "First Boston" -> "First Boston"), else None."""
        if name in self.names:
            return name
        found = {n for n in self.names if n.startswith(name + " ") or n.startswith(name + ",")}
        return found.pop() if len(found) == 1 else None

    def with_form(self, name: str) -> str | None:
        """The name with its legal form, when the text also names it so ("Commodity Credit" ->
        "Commodity Credit Corporation")."""
        for form in ("Corporation", "Company"):
            if f"{name} {form}" in self.names:
                return f"{name} {form}"
        return None

    def initials_of(self, name: str) -> str | None:
        """The one organisation of the text whose initials a name in capitals spells ("GM" beside
        "General Motors Corp", "CBT" beside "Chicago Board of Trade"), when no table names it."""
        letters = name.replace(".", "")
        if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()) or lookup(name):
            return None
        found = {n for n in self.names if " " in n and n != name and _spells(letters, n)}
        return found.pop() if len(found) == 1 else None

    def ended_by(self, name: str, common: frozenset[str]) -> str | None:
        """The one longer organisation's name whose last words are `name` ("Express" -> "American
        Express", "Stock Exchange" -> "New York Stock Exchange"), else None. Only for a name of plain
        words, which alone says too little to tell which body it is; a known name ("Treasury",
        "World Bank") or one of its own ("Kodak") stands for itself."""
        if lookup(name) or not all(w.lower() in common for w in name.split()):
            return None
        found = {n for n in self.names if n.endswith(" " + name)}
        found |= {n for w, n in self.written if w.endswith(" " + name)}
        return found.pop() if len(found) == 1 else None


def _ascii(name: str) -> str:
    """'São Paulo' -> 'Sao Paulo': accents dropped, as the place gazetteer spells names."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _famous(surname: str, present: set[str], year: int | None, titled: bool = False) -> str | None:
    """The famous-people table's full name for a bare surname, when the text supports it: an anchor,
    a contemporary named in full, or in a dated article a title before it ("President Reagan"); and
    a dated article must fall in the person's time."""
    found = lookup(surname)
    if not found or found[1] != "person" or found[0] not in SURNAME_EVIDENCE:
        return None
    if found[0] in present:
        return found[0]
    since, until, anchors = SURNAME_EVIDENCE[found[0]]
    if year is not None and (year < since or until is not None and year > until):
        return None
    if found[0] in TITLE_ONLY:
        return found[0] if titled and year is not None else None
    if anchors & present or titled and year is not None:
        return found[0]
    # A contemporary from the same table named in full: "Liz Truss met Mr Lavrov".
    return found[0] if any(name in SURNAME_EVIDENCE for name in present) else None


# "(SEC)", and the ticker wire copy puts after a company's name ("General Motors Corp <GM>"), which
# counts only when it spells the name's initials (not "<AXP>" for American Express).
_DEFINED = re.compile(r"[ \t]*(?:\(|<)[ \t]*([A-Z][A-Za-z&.]{1,9})[ \t]*(?:\)|>)")
_SMALL_WORDS = frozenset("of and for the on in de & to".split())


def _abbreviations(text: str, cands: list[_Cand], g: _Gazetteers) -> dict[str, tuple[str, str]]:
    """Abbreviation -> (canonical, type) for each long name the text follows with its initials in
    brackets: "the Securities and Exchange Commission (SEC)", "Gulf Cooperation Council (GCC)"; and
    for each organisation the text follows with its ticker in angle brackets, as wire copy does
    ("General Motors Corp <GM>", "American Express Co <AXP>"): there the ticker is that company."""
    out: dict[str, tuple[str, str]] = {}
    for c in cands:
        if c.kind is None:
            continue
        m = _DEFINED.match(text, c.end)
        if not m:
            continue
        short = m.group(1)
        canonical = _org_name(c.name, g) if c.kind == "org" else canonicalize(c.name, c.kind)
        if m.group().rstrip().endswith(">"):
            if c.kind == "org" and short.lower() not in g.common and short not in NOT_ACRONYMS:
                out.setdefault(short, (canonical, c.kind))
                if "." in short.strip("."):  # "<VOWG.F>": the ticker without its exchange's code too
                    out.setdefault(short.split(".", 1)[0], (canonical, c.kind))
        elif " " in c.name and (_spells(short.replace(".", "").upper(), c.name)
                                or _spells(short.replace(".", "").upper(), canonical)
                                or _initials_reordered(short, canonical)):
            out.setdefault(short, (canonical, c.kind))
    return out


_BRACKETED_CAPITALS = re.compile(r"\(([A-Z]{2,6})\)")


def _defined_things(text: str) -> set[str]:
    """Abbreviations the text defines for a programme, an agreement, an index or an event ("the
    Export Enhancement Program (EEP)"): no names, as their long forms are none."""
    found = set()
    if "(" not in text:
        return found
    for m in _BRACKETED_CAPITALS.finditer(text):
        words = text[max(0, m.start() - 80):m.start()].split()[-8:]  # the name, and words before it
        if words and words[-1] in EVENT_WORDS and any(
                _spells(m.group(1), " ".join(words[k:])) for k in range(len(words))):
            found.add(m.group(1))
    return found


def _initials_reordered(short: str, name: str) -> bool:
    """'Brazilian Coffee Institute (IBC)': the initials of the name in its own language's word order
    (Instituto Brasileiro do Cafe), all capitals, each main word's initial used once."""
    initials = sorted(w[0] for w in name.split() if w not in _SMALL_WORDS)
    return short.isupper() and short.isalpha() and len(short) >= 3 and sorted(short) == initials


def _with_abbreviations(text: str, cands: list[_Cand], defined: dict[str, tuple[str, str]]) -> list[_Cand]:
    """Every use of an abbreviation the text defines is a mention, even where its shape alone would
    not make one (UNCTAD: six capitals read as shouting)."""
    taken = {c.start for c in cands}
    extra = []
    for short, (_, kind) in defined.items():
        at = text.find(short)
        while at >= 0:  # each use standing alone: not inside a longer word or abbreviation
            end = at + len(short)
            if (at not in taken and (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "._"))
                    and (end == len(text) or not (text[end].isalnum() or text[end] == "_"))):
                extra.append(_Cand(at, end, short, kind, True, False))
            at = text.find(short, end)
    return sorted(cands + extra, key=lambda c: c.start) if extra else cands


def _spells(letters: str, name: str) -> bool:
    """Do the initials of `name` spell `letters`? Every main word gives its initial; small words
    ("of", "and") and the later parts of hyphenated words may: UNCTAD, OECD, SEC, NAPM."""
    words: list[tuple[str, bool]] = []
    for word in name.split():
        parts = word.split("-")
        words.append((parts[0][:1].upper(), parts[0] in _SMALL_WORDS))
        words.extend((part[:1].upper(), True) for part in parts[1:] if part)
    can = {0}  # how many letters the words so far can have spelt
    for initial, optional in words:
        nxt = {k + 1 for k in can if k < len(letters) and letters[k] == initial}
        can = nxt | can if optional else nxt
        if not can:
            return False
    return len(letters) in can


_ADJECTIVE = re.compile(r"\b(?:(?:West|East|South|North|Sri) )?[A-Z][a-z]+\b")


def _nationalities(text: str, offset: int, mentions: list[Mention]) -> set[str]:
    """Countries the body names by their nationality adjective ("the Dutch central bank"), outside
    any name that holds the adjective ("American Express", "British Airways")."""
    nationality = _gaz().nationality
    found = {}
    for m in _ADJECTIVE.finditer(text, offset):
        word = m.group()
        country = nationality.get(word) or (" " in word and nationality.get(word.split(" ", 1)[1]))
        if country:
            found[m.start()] = (m.end(), country)
    if not found:
        return set()
    inside = [(m.start, m.end) for m in mentions]
    return {country for start, (end, country) in found.items()
            if not any(a <= start and end <= b for a, b in inside)}


_FACET_MULTI = False


def article_entities(title: str, body: str, year: int | None = None) -> Entities:
    """Sorted unique canonical names per kind for one article.

    The title is read together with the body (so a headline's "Truss" meets the body's "Liz Truss"),
    but its capitalisation is not trusted: only title names the body or the gazetteers confirm count.
    Names are decided from the article alone (and its year): see extract_mentions. Places also hold
    the countries the body names by nationality ("Swiss" -> Switzerland): the article is about them.
    """
    title = (title or "").strip()
    body = body or ""
    text = body
    offset = 0
    if title:
        shouted = title.upper()
        text = shouted + "\n" + body
        offset = len(shouted) + 1
    people: set[str] = set()
    places: set[str] = set()
    orgs: set[str] = set()
    found = _extract(text, year)
    mentions = [m for m, _ in found]
    vouched = {m.canonical for m, evidence in found if evidence}
    in_body = {m.canonical for m in mentions if m.start >= offset}
    places.update(name_at_the_time(place, year) for place in _nationalities(text, offset, mentions))
    for m in mentions:
        name = m.canonical
        if m.start < offset and m.type == "person" and name not in in_body and " " not in name:
            continue  # a bare surname in the headline that the body does not name
        if m.type == "person":
            if name in vouched or " " in name and _FACET_MULTI:
                people.add(name)
        elif m.type == "place":
            places.add(name)
        else:
            orgs.add(name)
    short = _short_forms(orgs, _gaz())  # named whole, counted short: "Ford Motor Co" is Ford
    orgs = {short.get(name, name) for name in orgs}
    # "the Finance Ministry" with no word of whose: the body of the one country the article names;
    # with several countries and no body of that name in full, none (it could be any of them); beside
    # two such bodies named in full ("the Swedish and the Turkish Central Bank"), as it is.
    bare = {name for name in orgs if _bare_body(name, _gaz())
            and sum(other.endswith(" " + name) for other in orgs) < 2}
    if bare:
        countries = {p for p in places if _gaz().places.get(p) == "country" or p in _demonym_of()}
        orgs -= bare
        if len(countries) == 1:
            whose = _QUALIFIER.get(country := countries.pop()) or _demonym_of().get(country, country)
            orgs |= {f"{whose} {name}" for name in bare}
    return Entities(sorted(people), sorted(places), sorted(orgs))


# A state's own body named in plain words: every state has one, so the name alone says not which.
_BODY_OF_STATE = frozenset("Ministry Parliament Senate Government Cabinet".split())
_BANK_OF_STATE = frozenset(("Central Bank", "Reserve Bank"))
# How wire copy qualifies the bodies of the two states it names by initials ("U.S. Government").
_QUALIFIER = {"United States": "U.S.", "United Kingdom": "U.K."}


def _bare_body(name: str, g: _Gazetteers) -> bool:
    """'Finance Ministry', 'Parliament', 'Senate', 'Central Bank': a body of a state named without
    the state ("Japanese Finance Ministry", "U.S. Senate" are not bare)."""
    words = name.split()
    if not (words[-1] in _BODY_OF_STATE or " ".join(words[-2:]) in _BANK_OF_STATE):
        return False
    return all(w.lower() in g.common and w not in g.demonyms and w not in g.nationality for w in words)
