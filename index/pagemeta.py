"""A page's own metadata: publication date, headline, outlet (source) and URL, and the date formats.

Only what the page states about itself counts: meta tags (Open Graph, `article:*`, Dublin Core,
Parse.ly, Sailthru, schema.org `itemprop`), JSON-LD (`@graph` and JSON that does not parse but holds
a date), `<time datetime>`, and, as evidence of last resort, a date in the URL's path. Body text is
never read for a date: a date we cannot trust is no date. Placeholders (`0001-01-01`, the Unix
epoch's first day) and dates before 1800 or more than two days ahead of today are no date either.

The formats are hand-written rules rather than `dateparser` or `htmldate`: metadata carries a dozen
forms (ISO 8601, RFC 2822, "November 19, 2019, 07:47 PM EST", "19 Nov 2019 07:09 GMT", epoch
seconds), every one of them read here from the tree the page was already parsed into, while
`htmldate` parses the page again (more than the whole extraction costs) and `dateparser` reads
any language's free text, which metadata never needs; benchmarks/bench_meta.py measures both against
these rules on the development pages.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html as html_lib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4.element import NavigableString, PreformattedString, Tag

MIN_YEAR = 1800
FUTURE_DAYS = 2  # a date more than this many days after today is a placeholder or a typo
PLACEHOLDER_DAYS = frozenset({dt.date(1970, 1, 1)})  # the Unix epoch's first day: an unset timestamp

# Meta tags that state the publication date, most specific first (property, name or itemprop).
DATE_META = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "published_time", "article.published", "article:first_published_time", "datepublished",
    "parsely-pub-date", "sailthru.date", "pubdate", "publishdate", "publish-date", "publish_date",
    "og:publish_date", "publication_date", "date", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "dc.date.created", "citation_publication_date", "citation_date",
    "citation_online_date", "article_date_original", "original-publish-date", "cxenseparse:recs:publishtime",
    "cxenseparse:publishtime", "published_at", "pub_date", "date-pub", "publisheddate",
)
# Other meta names that say "publication date" in a site's own words; never a modified or expiry date.
_OTHER_DATE_KEY = re.compile(r"publish|pub_?date|(?:^|[:._-])(?:date|created)$|^created")
_NOT_PUBLISHED_KEY = re.compile(r"modif|updat|last|expir|revis|edit|publisher|crawl|index|valid|birth|event")
# Dublin Core's bare date is "a date in the resource's life": a CMS often puts the last change there.
WEAK_DATE_META = ("dc.date", "dcterms.date")
_DATE_META_RANK = {name: rank for rank, name in enumerate(DATE_META)}
SITE_META = ("og:site_name", "application-name", "twitter:site")
# JSON-LD types that are one article (not the page, the site or the publisher).
_ARTICLE_TYPES = frozenset("""
article newsarticle reportage analysisnewsarticle opinionnewsarticle reviewnewsarticle backgroundnewsarticle
blogposting liveblogposting socialmediaposting techarticle scholarlyarticle report review
""".split())

_SPACE = re.compile(r"\s+")
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for name in names}
_MONTH = r"\b(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_CLOCK = r"(?:[,\s]+(?:at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>[ap]\.?m\.?)?)?"
_ISO = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
                  r"(?:(?:T|\s+|,\s*)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?(?!\d)")
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?Z?")
_MONTH_FIRST = re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)" + _CLOCK,
                          re.IGNORECASE)
_DAY_FIRST = re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\.?\s+(?:of\s+)?|[.\-/])" + _MONTH
                        + r"(?:,?\s+|[.\-/])(?P<y>\d{4})(?!\d)"
                        + _CLOCK, re.IGNORECASE)
_NUMERIC = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)" + _CLOCK,
                      re.IGNORECASE)
_EPOCH = re.compile(r"\d{10}(?:\d{3})?(?:\.\d+)?")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?=[/\-_.]|$)")
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,60})"')
_LD_HEADLINE = re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.){3,400})"')
# Separators between a headline and the site's name: " | ", " - ", " – ", " — ", " :: ", " · ", " » ".
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—:·•»«~]|::)\s+|\s*[|·•»«]\s*")
_TRAILING_SEP = re.compile(r"(?:\s+(?:[|\-–—:·•»«~]|::)\s*|\s*[|·•»«]\s*)$")
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z]{2,8});", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass
class PageMeta:
    """What a page says about itself. `published` keeps the time of day when the page gives one."""

    title: str
    date: dt.date | None
    published: dt.datetime | None
    url: str | None
    source: str | None


# --- dates --------------------------------------------------------------------------------------------

def plausible(day: dt.date, today: dt.date | None = None) -> bool:
    """A publication day a page can really have: not a placeholder, not before 1800, not in the future."""
    today = today or dt.date.today()
    return (day.year >= MIN_YEAR and day not in PLACEHOLDER_DAYS
            and day <= today + dt.timedelta(days=FUTURE_DAYS))


def _clock(match: re.Match) -> dt.time | None:
    """The time of day in a match (12-hour clocks with am/pm), or None when there is none or it is wrong."""
    if not match.group("h"):
        return None
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
    ampm = (match.groupdict().get("ap") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def _make(year: int, month: int, day: int, time: dt.time | None) -> dt.datetime | dt.date | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return dt.datetime.combine(date, time) if time else date


def parse_when(value: object, today: dt.date | None = None) -> dt.datetime | dt.date | None:
    """A publication moment from one metadata value: a datetime when the time of day is given, else a
    date, else None.

    The day is the one the value states (its own time zone), so "2019-11-19T23:30:00-05:00" is the
    19th, as its readers saw it. Ambiguous numeric days (03/04/2019) are no date; so is anything
    `plausible` rejects. JSON numbers are epoch seconds or milliseconds.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = str(int(value)) if math.isfinite(value) else ""
    elif isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", value[:200]).strip()
    if not text:
        return None
    found = _parse_text(text)
    if found is None:
        return None
    day = found.date() if isinstance(found, dt.datetime) else found
    return found if plausible(day, today) else None


def _parse_text(text: str) -> dt.datetime | dt.date | None:
    if _EPOCH.fullmatch(text):
        seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    match = _COMPACT.fullmatch(text)
    if match:
        return _make(int(match["y"]), int(match["m"]), int(match["d"]), _clock(match))
    match = _ISO.search(text)
    if match:
        return _make(int(match["y"]), int(match["m"]), int(match["d"]), _clock(match))
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        match = pattern.search(text)
        if match:
            return _make(int(match["y"]), _MONTHS[match["mon"].lower()], int(match["d"]), _clock(match))
    try:
        parsed = email.utils.parsedate_to_datetime(text)  # RFC 2822 forms the patterns above missed
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is not None:
        return parsed.replace(tzinfo=None)
    match = _NUMERIC.search(text)
    if match:
        first, second = int(match["a"]), int(match["b"])
        if first > 12 >= second:
            return _make(int(match["y"]), second, first, _clock(match))
        if second > 12 >= first:
            return _make(int(match["y"]), first, second, _clock(match))
    return None


def parse_date(value: object, today: dt.date | None = None) -> dt.date | None:
    """The publication day of one metadata value (any form parse_when reads), or None."""
    found = parse_when(value, today)
    return found.date() if isinstance(found, dt.datetime) else found


def url_date(url: str | None, today: dt.date | None = None) -> dt.date | None:
    """A /2019/11/19/ (or /2019-11-19) date in a URL's path: the last evidence a page's date can have."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path if "://" in url else url)
    if not match:
        return None
    found = _make(int(match["y"]), int(match["m"]), int(match["d"]), None)
    return found if found and plausible(found, today) else None


# --- reading the page ---------------------------------------------------------------------------------

def attr(el: Tag, name: str) -> str:
    """An attribute as one string (bs4 gives multi-valued ones such as class and rel as lists)."""
    value = el.attrs.get(name)
    if value is None:
        return ""
    return " ".join(value) if isinstance(value, list) else value


def _text(el: Tag) -> str:
    return "".join(s for s in el.descendants if isinstance(s, NavigableString)
                   and not isinstance(s, PreformattedString))


def _norm_space(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _metas(found: Mapping[str, Sequence[Tag]]) -> dict[str, list[str]]:
    """Every <meta> content by its lower-cased property, name and itemprop, in page order."""
    out: dict[str, list[str]] = {}
    for el in found.get("meta", ()):
        content = attr(el, "content").strip()
        if not content:
            continue
        for kind in ("property", "name", "itemprop"):
            key = attr(el, kind).strip().lower()
            if key:
                out.setdefault(key, []).append(content)
    return out


def _first(metas: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        for value in metas.get(name, ()):
            if value.strip():
                return value.strip()
    return None


@dataclass
class _LinkedData:
    """What the page's JSON-LD says: publication dates, headlines and the publisher's or site's name."""

    dates: list[str]
    headlines: list[str]
    names: list[str]


def _ld_types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _walk_ld(data: object, out: _LinkedData) -> None:
    """Collect from a JSON-LD tree (objects, lists, @graph) with an explicit stack, depth-limited."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > 20:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        types = _ld_types(node)
        published = node.get("datePublished")
        if isinstance(published, (str, int)):
            out.dates.append(published if isinstance(published, str) else str(published))
        if types & _ARTICLE_TYPES and isinstance(node.get("headline"), str):
            out.headlines.append(node["headline"])
        owners = _ARTICLE_TYPES | {"webpage"}  # the article's publisher, the page's website
        for key in ("publisher", "isPartOf"):
            owner = node.get(key)
            if isinstance(owner, dict) and isinstance(owner.get("name"), str) and types & owners:
                out.names.append(owner["name"])
        if types & {"website", "organization", "newsmediaorganization"} and isinstance(node.get("name"), str):
            out.names.append(node["name"])
        stack.extend((value, depth + 1) for value in reversed(list(node.values()))
                     if isinstance(value, (dict, list)))


def _linked_data(found: Mapping[str, Sequence[Tag]]) -> _LinkedData:
    out = _LinkedData([], [], [])
    for el in found.get("script", ()):
        if attr(el, "type").strip().lower() != "application/ld+json":
            continue
        source = "".join(s for s in el.contents if isinstance(s, NavigableString)).strip()
        if not source:
            continue
        try:
            data = json.loads(source, strict=False)
        except (ValueError, RecursionError):
            # Not JSON (a trailing comma, an unescaped quote, two objects glued): the dates and the
            # headline it states are still the page's own.
            out.dates += _LD_DATE.findall(source)
            out.headlines += [_unescape_json(h) for h in _LD_HEADLINE.findall(source)[:1]]
            continue
        _walk_ld(data, out)
    return out


def _unescape_json(text: str) -> str:
    try:
        return json.loads(f'"{text}"', strict=False)
    except ValueError:
        return text


def _page_date(metas: dict[str, list[str]], ld: _LinkedData, found: Mapping[str, Sequence[Tag]],
               tags: Sequence[Tag], url: str | None) -> dt.datetime | dt.date | None:
    """Meta tags (most specific first), JSON-LD, itemprop=datePublished, <time>, then the URL's path."""
    keys = sorted((k for k in metas if k in _DATE_META_RANK), key=_DATE_META_RANK.__getitem__)
    for key in keys:
        for value in metas[key]:
            when = parse_when(value)
            if when:
                return when
    for value in ld.dates:
        when = parse_when(value)
        if when:
            return when
    for key in metas:  # a site's own name for it ("cludo:date", "article-publish-date"), in page order
        if (key not in _DATE_META_RANK and key not in WEAK_DATE_META
                and _OTHER_DATE_KEY.search(key) and not _NOT_PUBLISHED_KEY.search(key)):
            for value in metas[key]:
                when = parse_when(value)
                if when:
                    return when
    times = found.get("time", ())
    for el in times:
        if attr(el, "itemprop").lower() == "datepublished" or el.attrs.get("pubdate") is not None:
            when = parse_when(attr(el, "datetime") or _text(el))
            if when:
                return when
    for el in tags:  # itemprop on any element (a <span content=...>): rare, so looked for only now
        if "itemprop" in el.attrs and attr(el, "itemprop").lower() == "datepublished" and el.name != "meta":
            when = parse_when(attr(el, "content") or attr(el, "datetime") or _text(el)[:100])
            if when:
                return when
    for el in times:
        when = parse_when(attr(el, "datetime"))
        if when:
            return when
    for el in times:  # <time>Aug 04, 2025</time>: marked up as a date, written for readers
        when = parse_when(_text(el)[:100])
        if when:
            return when
    for key in WEAK_DATE_META:
        for value in metas.get(key, ()):
            when = parse_when(value)
            if when:
                return when
    for el in found.get("script", ()):  # an app's page data ("__NEXT_DATA__") holding the article's fields
        source = "".join(s for s in el.contents if isinstance(s, NavigableString))
        if "datePublished" in source:
            for value in _LD_DATE.findall(source):
                when = parse_when(value)
                if when:
                    return when
    return url_date(url)


# --- source and title ---------------------------------------------------------------------------------

def host_name(url: str | None) -> str | None:
    """The host of an absolute URL, lower case, without "www.": the outlet when a page names none."""
    if not url or "://" not in url[:12]:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def source_name(site: str | None, url: str | None) -> str | None:
    """The outlet: the page's own site name, else its URL's host; None when neither is known."""
    site = _norm_space(site)
    if site.startswith("@"):  # twitter:site is a handle, not a name
        site = ""
    if site and ("://" in site or site.lower().startswith("www.")):
        site = host_name(site if "://" in site else "http://" + site) or ""
    if site and len(site) <= 80:
        return site
    return host_name(url)


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _host_keys(url: str | None) -> set[str]:
    """Names a site may go by from its host: "zdnet" and "zdnetcom" for www.zdnet.com."""
    host = host_name(url)
    if not host:
        return set()
    labels = host.split(".")
    main = labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else \
        labels[-2] if len(labels) >= 2 else labels[0]
    return {_key(main), _key(host)} - {""}


@dataclass
class _Site:
    """The names a page's site goes by: stated names (og:site_name, JSON-LD publisher), their
    normalised keys and initials, and its host's names."""

    names: list[str]
    keys: set[str]
    initials: set[str]
    hosts: set[str]

    @classmethod
    def of(cls, names: list[str], url: str | None) -> _Site:
        names = [n for n in (_norm_space(n).lstrip("@") for n in names) if n]
        keys = {_key(n) for n in names} - {""}
        initials = {"".join(w[0] for w in n.split()).casefold() for n in names if len(n.split()) >= 2}
        return cls(names, keys, initials, _host_keys(url))

    def named_by(self, segment: str, loose: bool = True) -> bool:
        """Whether a title segment names the site: its name, its host ("IGN" on ign.com) or, with
        `loose`, its initials ("WFA" for World Future Awards) or a short segment starting with one of
        them ("ZDNet India" on zdnet.com, "BBC News" on bbc.co.uk)."""
        key = _key(segment)
        if len(key) < 2 or len(segment) > 80:
            return False
        if key in self.keys or key in self.hosts:
            return True
        if not loose or len(segment.split()) > 4:
            return False
        if segment.isupper() and key in self.initials:
            return True
        return any(len(h) >= 3 and key.startswith(h) for h in self.hosts) or any(
            len(k) >= 4 and key.startswith(k) or len(key) >= 4 and k.startswith(key) for k in self.keys)


def strip_site(title: str, site: _Site) -> str:
    """A headline without the site's name around it: "Talks fail | ZDNet" -> "Talks fail".

    A stated site name that itself holds a separator ("Urge Fitness | Gyms in PA") is cut whole first;
    then first or last segments (between separators such as " | " or " - ") that name the site go.
    A title that is nothing but the site's name stays as it is.
    """
    title = _norm_space(title)
    folded = title.casefold()
    for name in site.names:
        if len(name) < len(title) and folded.endswith(name.casefold()):
            rest = title[:-len(name)]
            match = _TRAILING_SEP.search(rest)
            if match and match.start() > 0:
                title, folded = rest[:match.start()], rest[:match.start()].casefold()
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    seps = _TITLE_SEP.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and site.named_by(parts[end - 1]):
        end -= 1
    while end - start > 1 and site.named_by(parts[start]):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    kept = parts[start]
    for index in range(start + 1, end):
        kept += seps[index - 1] + parts[index]
    return kept.strip() or title


def _words(text: str) -> set[str]:
    return set(_key_words(text))


def _key_words(text: str) -> list[str]:
    return [w for w in _NOT_ALNUM.split(text.casefold()) if w]


def _title(metas: dict[str, list[str]], ld: _LinkedData, found: Mapping[str, Sequence[Tag]],
           site: _Site) -> str:
    """The article's headline.

    The first <h1> when it is the headline the page's titles speak of (it shares at least half its
    words with og:title, or without one with the JSON-LD headline or <title>: sites write a shorter or
    search-worded og:title, and the <h1> is the one readers see); else og:title, the JSON-LD headline,
    the <h1> or <title>, whichever comes first and is more than the site's name. The site's name around it is removed.
    """
    h1 = ""
    for el in found.get("h1", ()):
        h1 = _norm_space(_text(el))
        if h1:
            break
    tag_title = ""
    for el in found.get("title", ()):
        tag_title = _norm_space(_text(el))
        if tag_title:
            break
    og = _unescape_twice(_norm_space(_first(metas, "og:title", "twitter:title")))
    headline = _unescape_twice(_norm_space(ld.headlines[0])) if ld.headlines else ""
    if h1 and len(h1) <= 300 and not site.named_by(h1, loose=False):
        words = _words(h1)
        for other in (og,) if og else (headline, tag_title):
            shared = words & _words(other)
            if other and len(shared) * 2 >= min(len(words), len(_words(other))) and len(shared) >= 2 or \
                    other and _key(other) == _key(h1):
                return strip_site(h1, site)
    candidates = [og, headline, h1, tag_title]
    for candidate in candidates:
        if candidate and not site.named_by(candidate, loose=False):
            return strip_site(candidate, site)
    return next((c for c in candidates if c), "")


def _unescape_twice(text: str) -> str:
    """A title escaped twice by its CMS ("Python, SQL &amp;#x26; AI" in the source) as written."""
    return html_lib.unescape(text) if _ENTITY.search(text) else text


def read_page_meta(found: Mapping[str, Sequence[Tag]], tags: Sequence[Tag]) -> PageMeta:
    """Title, publication moment, URL and outlet of a parsed page.

    `found` holds the page's meta, link, script, time, h1 and title tags in page order; `tags` is every
    tag, looked at only when the commoner places hold no date.
    """
    metas = _metas(found)
    ld = _linked_data(found)
    url = _first(metas, "og:url") or _canonical(found)
    stated = _first(metas, *SITE_META[:2]) or next((n for n in ld.names if n.strip()), None)
    source = source_name(stated, url)
    site = _Site.of([n for n in (stated, source, *ld.names, _first(metas, "twitter:site")) if n],
                    url or _alternate(found))
    when = _page_date(metas, ld, found, tags, url)
    day = when.date() if isinstance(when, dt.datetime) else when
    published = when if isinstance(when, dt.datetime) else None
    return PageMeta(title=_title(metas, ld, found, site), date=day, published=published,
                    url=url, source=source)


def _alternate(found: Mapping[str, Sequence[Tag]]) -> str | None:
    """The page in another language or form (`<link rel="alternate" hreflang>`, AMP): same site, same host."""
    for el in found.get("link", ()):
        rel = attr(el, "rel").lower().split()
        href = attr(el, "href").strip()
        if ("alternate" in rel and el.attrs.get("hreflang") or "amphtml" in rel) and "://" in href:
            return href
    return None


def _canonical(found: Mapping[str, Sequence[Tag]]) -> str | None:
    for el in found.get("link", ()):
        href = attr(el, "href").strip()
        if "canonical" in attr(el, "rel").lower().split() and href:
            return href
    return None
