"""The one table of canonical entity names: aliases, transliterations, long forms and titles.

Every variant a user or an article may use folds to the name facets show, so one person, place or
organisation is counted once however it was spelled.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    # Heads of state or government, and people as famous, of earlier eras (see SURNAME_EVIDENCE).
    "Ronald Reagan": ("person", ("Reagan",)),
    "Margaret Thatcher": ("person", ("Thatcher",)),
    "Mikhail Gorbachev": ("person", ("Gorbachev", "Gorbachov")),
    "Helmut Kohl": ("person", ("Kohl",)),
    "Francois Mitterrand": ("person", ("Mitterrand", "François Mitterrand")),
    "Yasuhiro Nakasone": ("person", ("Nakasone",)),
    "Deng Xiaoping": ("person", ("Deng",)),
    "Richard Nixon": ("person", ("Nixon",)),
    "Barack Obama": ("person", ("Obama",)),
    "Tony Blair": ("person", ("Blair",)),
    "Boris Yeltsin": ("person", ("Yeltsin",)),
    "Nelson Mandela": ("person", ("Mandela",)),
    "Angela Merkel": ("person", ("Merkel",)),
    "Brian Mulroney": ("person", ("Mulroney",)),
    "Jim Wright": ("person", ("Wright",)),
    # Two presidents whom only the middle initials tell apart (person_form drops a middle initial).
    "George W. Bush": ("person", ("George Walker Bush",)),
    "George H. W. Bush": ("person", ("George H.W. Bush", "George Herbert Walker Bush")),
    "Kyiv": ("place", ("Kiev", "Kiyv", "Kyyiv")),
    "Kharkiv": ("place", ("Kharkov",)),
    "Odesa": ("place", ("Odessa",)),
    "Donbas": ("place", ("Donbass",)),
    "United States": ("place", ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America")),
    "United Kingdom": ("place", ("UK", "U.K.", "Britain", "Great Britain")),
    "United Arab Emirates": ("place", ("UAE", "U.A.E.")),
    "Turkey": ("place", ("Turkiye", "Türkiye")),
    "Netherlands": ("place", ("The Netherlands", "Holland")),
    "Czech Republic": ("place", ("Czechia",)),
    "Ivory Coast": ("place", ("Cote d'Ivoire", "Côte d'Ivoire")),
    "Myanmar": ("place", ("Burma",)),
    "Beijing": ("place", ("Peking",)),
    "Soviet Union": ("place", ("USSR", "U.S.S.R.", "Union of Soviet Socialist Republics")),
    # US states as wire copy abbreviates them after a town ("Greenwich, Conn."); only the forms that
    # are no English word or title.
    "Arizona": ("place", ("Ariz", "Ariz.")),
    "California": ("place", ("Calif", "Calif.")),
    "Colorado": ("place", ("Colo", "Colo.")),
    "Connecticut": ("place", ("Conn", "Conn.")),
    "Florida": ("place", ("Fla", "Fla.")),
    "Massachusetts": ("place", ("Mass.",)),
    "Michigan": ("place", ("Mich", "Mich.")),
    "Minnesota": ("place", ("Minn", "Minn.")),
    "Oklahoma": ("place", ("Okla", "Okla.")),
    "Tennessee": ("place", ("Tenn", "Tenn.")),
    "Wisconsin": ("place", ("Wis", "Wis.")),
    "Georgia": ("place", ("Ga", "Ga.")),
    # The two-letter forms with dots ("Newark, N.J."), which no word or initial of a name spells.
    "New Jersey": ("place", ("N.J.",)),
    "New York": ("place", ("N.Y.",)),
    "North Carolina": ("place", ("N.C.",)),
    "South Carolina": ("place", ("S.C.",)),
    "New Hampshire": ("place", ("N.H.",)),
    "New Mexico": ("place", ("N.M.",)),
    "North Dakota": ("place", ("N.D.",)),
    "South Dakota": ("place", ("S.D.",)),
    "Rhode Island": ("place", ("R.I.",)),
    "Mumbai": ("place", ("Bombay",)),
    "NATO": ("org", ("Nato", "North Atlantic Treaty Organization", "North Atlantic Treaty Organisation")),
    "EU": ("org", ("European Union", "E.U.")),
    "UN": ("org", ("United Nations", "U.N.")),
    "G7": ("org", ("Group of Seven", "G-7", "Group of 7")),
    "G5": ("org", ("Group of Five", "G-5", "Group of 5")),
    "G10": ("org", ("Group of Ten", "G-10", "Group of 10")),
    "G20": ("org", ("Group of Twenty", "G-20", "Group of 20")),
    "European Commission": ("org", ("EC Commission", "Commission of the European Communities",
                                    "Commission of the European Community", "European Community Commission",
                                    "EU Commission")),
    # A party and the name of its members, which news uses for the party itself.
    "Labour Party": ("org", ("Labour",)),
    "Conservative Party": ("org", ("Conservatives", "Tories", "Tory Party")),
    "Kremlin": ("org", ("the Kremlin",)),
    # Bare "Congress" is how news names the United States Congress; another country's congress is
    # named with its nationality ("Brazilian Congress", "Philippine Congress") and stays its own value.
    "Congress": ("org", ("U.S. Congress", "US Congress", "United States Congress")),
    "Federal Reserve": ("org", ("Fed", "Federal Reserve Board", "Federal Reserve System", "U.S. Federal Reserve",
                                "Federal Reserve Bank")),
    "SEC": ("org", ("Securities and Exchange Commission", "U.S. Securities and Exchange Commission")),
    "IMF": ("org", ("International Monetary Fund",)),
    "GCC": ("org", ("Gulf Cooperation Council",)),
    "EC": ("org", ("European Community", "European Communities", "European Economic Community", "EEC")),
    "GATT": ("org", ("General Agreement on Tariffs and Trade",)),
    "OPEC": ("org", ("Organization of Petroleum Exporting Countries",
                     "Organisation of Petroleum Exporting Countries")),
    "OECD": ("org", ("Organisation for Economic Co-operation and Development",
                     "Organization for Economic Cooperation and Development",
                     "Organisation for Economic Cooperation and Development")),
    "OSCE": ("org", ("Organisation for Security and Cooperation in Europe",
                     "Organization for Security and Cooperation in Europe")),
    "WTO": ("org", ("World Trade Organization", "World Trade Organisation")),
    # Intergovernmental bodies known by their initials, with the long forms wire copy spells out.
    "UNCTAD": ("org", ("United Nations Conference on Trade and Development", "UN Conference on Trade and Development",
                       "U.N. Conference on Trade and Development")),
    "FAO": ("org", ("Food and Agriculture Organization", "Food and Agriculture Organisation",
                    "Food and Agricultural Organization", "Food and Agricultural Organisation")),
    "ILO": ("org", ("International Labour Organisation", "International Labour Organization",
                    "International Labor Organization")),
    "IAEA": ("org", ("International Atomic Energy Agency",)),
    "UNESCO": ("org", ("United Nations Educational, Scientific and Cultural Organization",)),
    "UNICEF": ("org", ("United Nations Children's Fund",)),
    "UNHCR": ("org", ("United Nations High Commissioner for Refugees",)),
    "UNDP": ("org", ("United Nations Development Programme", "United Nations Development Program",
                     "UN Development Programme", "U.N. Development Programme")),
    "WFP": ("org", ("World Food Programme", "World Food Program")),
    "IEA": ("org", ("International Energy Agency",)),
    "IFC": ("org", ("International Finance Corporation", "International Finance Corp")),
    "EIB": ("org", ("European Investment Bank",)),
    "EBRD": ("org", ("European Bank for Reconstruction and Development",)),
    "BIS": ("org", ("Bank for International Settlements",)),
    "ECA": ("org", ("Economic Commission for Africa", "U.N. Economic Commission for Africa",
                    "UN Economic Commission for Africa")),
    "ESCAP": ("org", ("Economic and Social Commission for Asia and the Pacific",)),
    "Euratom": ("org", ("European Atomic Energy Community",)),
    "EFTA": ("org", ("European Free Trade Association",)),
    "ASEAN": ("org", ("Association of Southeast Asian Nations", "Association of South East Asian Nations")),
    "OAU": ("org", ("Organisation of African Unity", "Organization of African Unity")),
    "OAPEC": ("org", ("Organization of Arab Petroleum Exporting Countries",
                      "Organisation of Arab Petroleum Exporting Countries")),
    "FDA": ("org", ("Food and Drug Administration",)),
    "FDIC": ("org", ("Federal Deposit Insurance Corporation", "Federal Deposit Insurance Corp")),
    "FSLIC": ("org", ("Federal Savings and Loan Insurance Corporation", "Federal Savings and Loan Insurance Corp")),
    "CFTC": ("org", ("Commodity Futures Trading Commission",)),
    "USDA": ("org", ("U.S. Agriculture Department", "Agriculture Department", "U.S. Department of Agriculture")),
    "Reuters": ("org", ("Reuter",)),
    "Treasury": ("org", ("U.S. Treasury", "US Treasury", "Treasury Department", "U.S. Treasury Department")),
    "IBM": ("org", ("International Business Machines",)),
    # Companies' own short forms and spellings that wire copy and the web use beside the listed name.
    "Volkswagen": ("org", ("VW", "Volkswagenwerk")),
    "AT&T": ("org", ("American Telephone and Telegraph", "ATT", "ATandT")),
    "TWA": ("org", ("Trans World Airlines",)),
    "NTT": ("org", ("Nippon Telegraph and Telephone", "Nippon Telegraph and Telephone Corporation")),
    "Renault": ("org", ("Regie Nationale des Usines Renault", "Régie Nationale des Usines Renault")),
    "PaineWebber": ("org", ("Paine Webber",)),
    "Sears": ("org", ("Sears Roebuck", "Sears, Roebuck")),
    "Standard & Poor's": ("org", ("Standard and Poor's", "Standard & Poor's Corp", "S&P")),
    "Procter & Gamble": ("org", ("Procter and Gamble",)),
    "Johnson & Johnson": ("org", ("Johnson and Johnson",)),
    "Marks & Spencer": ("org", ("Marks and Spencer",)),
}

# A state named as news named it at the time: (first year, last year, the name then). From 1949 to
# 1989 "Germany" and "German" in the news were the Federal Republic, which wire copy and its tags call
# West Germany (the other state is always named East Germany); from 1990 on, Germany. Only the year
# decides, so an undated text keeps the name it gives.
NAME_AT_THE_TIME: dict[str, tuple[int, int, str]] = {"Germany": (1949, 1989, "West Germany")}


def name_at_the_time(place: str, year: int | None) -> str:
    """'Germany' in a 1987 article -> 'West Germany'; any other place, or year, as it is."""
    then = NAME_AT_THE_TIME.get(place)
    return then[2] if then and year is not None and then[0] <= year <= then[1] else place


# Names that several companies share, each listed, owned and run apart: the Japanese keiretsu, the
# Korean chaebol, the Indian and Hong Kong family groups. After such a name the descriptor or the legal
# form is what says which company ("Mitsubishi Motors", "Mitsubishi Heavy", "Mitsubishi Corporation"),
# so it is never dropped; the bare name stays the group's. (A company whose short name is its own,
# "Ford" for Ford Motor Co, drops them: index/entities.py DESCRIPTORS.)
GROUP_NAMES = frozenset("""Mitsubishi Mitsui Sumitomo Sanwa Dai-Ichi Yasuda Tokyu Seibu
Samsung Hyundai Daewoo LG Lucky-Goldstar SK Lotte Hanwha Ssangyong Tata Birla Reliance Mahindra Bajaj
Godrej Adani Jardine Swire Hutchison""".split())

# The famous people whose bare surname the table may fold ("Lavrov" -> Sergei Lavrov), and the evidence
# the text must give for it: (first year, last year in the news or None while they still are, anchors).
# In an article of a year outside their time the surname stays a surname. Within it (or in an undated
# text) the text must also name one of their anchors, or another person of this table in full (a
# contemporary), or, in a dated article, put a title before the surname ("President Reagan",
# "Chancellor Kohl"). Without that evidence a bare surname stays a bare surname: a table may spell a
# person's name, never put a person into a text that does not support them ("Stoltenberg" in 1987 is
# Gerhard, not Jens; "Chapter XI" is no Xi Jinping). A full name in the same text always wins. The
# table is general (heads of state or government and people as famous, of several eras), not any
# corpus's most frequent names; a surname two such people share (Bush, Gandhi, Clinton, Carter) is
# not in it. "Mrs Reagan" is not Ronald Reagan: a woman's title folds only to a woman of the table.
_US = frozenset(("United States", "White House", "Washington", "Congress", "Treasury"))
_UK = frozenset(("United Kingdom", "London", "Downing Street"))
_RUSSIA = frozenset(("Soviet Union", "Russia", "Moscow", "Kremlin"))
SURNAME_EVIDENCE: dict[str, tuple[int, int | None, frozenset[str]]] = {
    "Volodymyr Zelensky": (2019, None, frozenset(("Ukraine", "Kyiv", "Russia"))),
    "Vladimir Putin": (1999, None, frozenset(("Russia", "Moscow", "Kremlin", "Ukraine", "NATO"))),
    "Sergei Lavrov": (1994, None, frozenset(("Russia", "Moscow", "Kremlin", "Ukraine", "Kyiv", "UN"))),
    "Liz Truss": (2010, None, frozenset(("United Kingdom", "London", "Downing Street", "Foreign Office"))),
    "Dmytro Kuleba": (2019, None, frozenset(("Ukraine", "Kyiv"))),
    "Dmitry Peskov": (2000, None, frozenset(("Kremlin", "Russia", "Moscow"))),
    "Joe Biden": (1973, None, frozenset(("United States", "White House", "Washington"))),
    "Donald Trump": (1980, None, frozenset(("United States", "White House", "Washington", "New York"))),
    "Emmanuel Macron": (2012, None, frozenset(("France", "Paris", "Elysee"))),
    "Olaf Scholz": (2002, None, frozenset(("Germany", "Berlin"))),
    "Jens Stoltenberg": (1990, None, frozenset(("NATO", "Norway", "Oslo"))),
    "Xi Jinping": (2007, None, frozenset(("China", "Beijing"))),
    "Ronald Reagan": (1966, 2004, _US),
    "Margaret Thatcher": (1975, 2013, _UK | {"Conservative Party", "Conservatives"}),
    "Mikhail Gorbachev": (1985, 2022, _RUSSIA),
    "Helmut Kohl": (1973, 2017, frozenset(("West Germany", "Germany", "Bonn", "Berlin"))),
    "Francois Mitterrand": (1965, 1996, frozenset(("France", "Paris", "Elysee"))),
    "Yasuhiro Nakasone": (1982, 2019, frozenset(("Japan", "Tokyo"))),
    "Deng Xiaoping": (1977, 1997, frozenset(("China", "Beijing"))),
    "Richard Nixon": (1960, 1994, _US),
    "Barack Obama": (2007, None, _US),
    "Tony Blair": (1994, None, _UK | {"Labour", "Labour Party"}),
    "Boris Yeltsin": (1990, 2007, _RUSSIA),
    "Nelson Mandela": (1990, 2013, frozenset(("South Africa", "Pretoria", "Johannesburg", "ANC"))),
    "Angela Merkel": (2000, None, frozenset(("Germany", "Berlin"))),
    "Brian Mulroney": (1983, 1993, frozenset(("Canada", "Ottawa"))),
    "Jim Wright": (1977, 1991, _US | {"House of Representatives", "Texas"}),  # Speaker of the House
}

# People of SURNAME_EVIDENCE whose surname is too common for an anchor to vouch for them: only a
# title before it in a dated article of their time does ("Speaker Wright", "House Speaker Wright").
TITLE_ONLY = frozenset(("Jim Wright",))

# Given names and the familiar forms news uses for them (Jim for James, Bill for William). A person of
# the famous-people table named with another form of their given name ("James Wright" for Jim Wright,
# "Anthony Blair") is that person on the same evidence as their bare surname (see familiar_form).
GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "James": ("Jim", "Jimmy", "Jamie"), "William": ("Bill", "Billy", "Will", "Willy"),
    "Robert": ("Bob", "Bobby", "Rob", "Bert"), "Richard": ("Dick", "Rick", "Rich"),
    "Edward": ("Ted", "Ed", "Eddie", "Ned"), "Thomas": ("Tom", "Tommy"), "Joseph": ("Joe", "Joey"),
    "Michael": ("Mike", "Mick"), "Charles": ("Charlie", "Chuck"), "Lawrence": ("Larry",),
    "Ronald": ("Ron", "Ronnie"), "Donald": ("Don", "Donnie"), "Kenneth": ("Ken", "Kenny"),
    "Gerald": ("Jerry", "Gerry"), "Daniel": ("Dan", "Danny"), "David": ("Dave",), "Stephen": ("Steve",),
    "Steven": ("Steve",), "Anthony": ("Tony",), "Margaret": ("Maggie", "Peggy"), "Elizabeth": ("Liz", "Beth"),
    "Patrick": ("Pat",), "Samuel": ("Sam",), "Frederick": ("Fred",), "Albert": ("Al",), "Alexander": ("Alex",),
    "Benjamin": ("Ben",), "Nicholas": ("Nick",), "Timothy": ("Tim",), "Andrew": ("Andy",), "Peter": ("Pete",),
    "Douglas": ("Doug",), "Gregory": ("Greg",), "Philip": ("Phil",), "Christopher": ("Chris",),
    "Jeffrey": ("Jeff",), "Matthew": ("Matt",), "Raymond": ("Ray",), "Walter": ("Walt",), "Henry": ("Hank",),
    "John": ("Jack", "Johnny"),
}
_FAMILY: dict[str, frozenset[str]] = {}
for _formal, _familiar in GIVEN_NAMES.items():
    _group = frozenset((_formal, *_familiar))
    for _given in _group:
        _FAMILY[_given] = _FAMILY.get(_given, frozenset()) | _group


@lru_cache(maxsize=1 << 16)
def familiar_form(name: str) -> str | None:
    """The famous-people table's person whose name is `name` with another form of the same given name
    ("James Wright" -> Jim Wright, "Anthony Blair" -> Tony Blair), else None. The caller decides on
    the text's evidence whether that person is meant (extract_mentions: as for a bare surname)."""
    words = name.split()
    if len(words) != 2 or words[0] not in _FAMILY or lookup(name):
        return None
    surname = lookup(words[1])
    if not surname or surname[1] != "person" or surname[0] not in SURNAME_EVIDENCE:
        return None
    given = surname[0].split()[0]
    return surname[0] if given != words[0] and given in _FAMILY[words[0]] else None

# The people of SURNAME_EVIDENCE who are women: only they take a woman's title ("Mrs Thatcher").
WOMEN = frozenset(("Liz Truss", "Margaret Thatcher", "Angela Merkel"))

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "President", "Prime Minister",
          "Foreign Secretary", "Foreign Minister", "Assistant Secretary", "Under Secretary",
          "Financial Secretary", "Exchequer", "Defence Minister", "Defense Secretary", "Chancellor",
          "General", "Gen", "Secretary of State", "Secretary", "Minister", "Senator", "Sen", "Rep",
          "Governor", "Gov", "King", "Queen", "Prince", "Princess", "Pope", "Judge", "Justice", "Professor",
          "Prof", "Colonel", "Col", "Captain", "Capt", "Lieutenant", "Lt", "Sgt", "Admiral", "Adm",
          "Ambassador", "Mayor", "Premier", "Vice President", "Deputy", "Chairman", "Chief Executive", "Chief of Staff",
          "Spokesman", "Spokeswoman", "Speaker", "Treasurer", "Trade Representative", "Representative", "Sheikh",
          "Rev", "Father", "Bishop", "Archbishop", "Commissioner",
          "Director", "Managing Director", "Major-General", "Lieutenant-General", "Brigadier",
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


@lru_cache(maxsize=1 << 16)  # the extractor asks for the same few thousand names over and over
def lookup(name: str) -> tuple[str, str] | None:
    """(canonical, type) for a known variant, else None."""
    key = " ".join(name.split()).casefold()
    if key.startswith("the "):
        key = key[4:]
    key = key.replace("’s", "").removesuffix("'s")
    return _VARIANTS.get(key)


# Legal-form words that end a company's name and say nothing about which company it is: "Chrysler
# Corp", "Chrysler Corporation" and "Chrysler" are one facet value, "Goldman, Sachs and Co" and
# "Goldman Sachs" another.
LEGAL_SUFFIXES = frozenset("Co Cos Co. Cos. Corp Corp. Corporation Inc Inc. Incorporated Ltd Ltd. Limited Plc PLC plc "
                           "LLC LP NV N.V. AG SA S.A. SpA BV AB Oyj GmbH KK".split())
_JOINERS = frozenset(("and", "&"))


def strip_legal_suffix(name: str) -> str:
    """'Merrill Lynch and Co Inc' -> 'Merrill Lynch', 'Goldman, Sachs and Co' -> 'Goldman Sachs'.

    Nothing is left of a name that is only a suffix ('Co'): the caller drops it.
    """
    words = name.replace(",", " ").split()
    while words and (words[-1] in LEGAL_SUFFIXES or words[-1] in _JOINERS):
        words.pop()
    if len(words) >= 2 and words[-1] == "Company":
        words.pop()
    return " ".join(words)


def is_surname_alias(name: str) -> bool:
    """True when `name` is a bare surname that only the famous-people table turns into a full name."""
    found = lookup(name)
    return bool(found and found[1] == "person" and " " not in name.strip() and found[0] in SURNAME_EVIDENCE)


# Particles inside a person's name, written lower case after a given name ("Willy de Clercq",
# "Javier Perez de Cuellar", "Richard von Weizsaecker"), whichever case the text gives them.
_PARTICLES = frozenset("de van von der den du da del della di dos das".split())
_INITIAL = re.compile(r"[A-Z]\.?")


def person_form(name: str) -> str:
    """One spelling for one person however the text writes the inner words of the name: a particle
    after a given name lower case ("Willy De Clercq" -> "Willy de Clercq"), and a middle initial
    dropped ("Martin T. Sosnoff" -> "Martin Sosnoff"; a leading one stays: "J. Hugh Liedtke"). The
    table keeps the people only their initials tell apart (George W. and George H. W. Bush)."""
    words = name.split()
    if len(words) < 3:
        return name
    inner = [w for w in words[1:-1] if not _INITIAL.fullmatch(w)]
    if not inner and _INITIAL.fullmatch(words[0]):
        return name  # "J. R. Ewing": initials all through
    inner = [w.lower() if w.lower() in _PARTICLES else w for w in inner]
    return " ".join((words[0], *inner, words[-1]))


@lru_cache(maxsize=1 << 16)
def canonicalize(name: str, type: str | None = None) -> str:
    """The canonical form of a name: titles stripped, aliases folded, spacing normalised, a company's
    legal form dropped."""
    plain = " ".join(name.split())
    if type not in ("org", "place"):  # "General Motors" and "Prince Edward Island" keep their first word
        plain = " ".join(strip_titles(plain).split())
    found = lookup(plain)
    if found and (type is None or found[1] == type):
        return found[0]
    if type == "person":
        return person_form(plain)
    if type == "org":
        bare = strip_legal_suffix(plain)
        found = lookup(bare)
        if found and found[1] == "org":
            return found[0]
        return _ORGANISATION.sub("Organization", bare)
    return plain


# One spelling of the word in a body's name, as wire copy writes it: the "International Coffee
# Organisation" and "... Organization" are one body.
_ORGANISATION = re.compile(r"\bOrganisation\b")
