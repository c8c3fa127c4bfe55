"""`search WORDS...`: ranked results, filters, facets, snippets and JSON Lines from the terminal."""

import sys
from enum import Enum
from typing import Annotated

import typer

from newsgrep.cli.common import (
    EXIT_INDEX,
    EXIT_NO_HITS,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    json_line,
    run_app,
    safe,
    safe_path,
    style,
    use_color,
)

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})


class Sort(str, Enum):
    relevance = "relevance"
    date = "date"


class Color(str, Enum):
    auto = "auto"
    never = "never"
    always = "always"


@app.command(help="Search the news index. Plain words match any of them (more matched words rank higher); "
                  '"a phrase", -exclude, AND/OR/NOT, word* and word~ work too.')
def search(
    words: Annotated[list[str] | None, typer.Argument(help="Words to search for.")] = None,  # noqa: UP007
    since: Annotated[str | None, typer.Option(help="From this date, inclusive: 2022-03-01, 2022-03, 7d, 2w, yesterday.")] = None,  # noqa: UP007,E501
    until: Annotated[str | None, typer.Option(help="Up to this date, inclusive (same forms as --since).")] = None,  # noqa: UP007,E501
    person: Annotated[list[str] | None, typer.Option("--person", help="Only articles naming this person (repeatable).")] = None,  # noqa: UP007,E501
    place: Annotated[list[str] | None, typer.Option("--place", help="Only articles naming this place (repeatable).")] = None,  # noqa: UP007,E501
    org: Annotated[list[str] | None, typer.Option("--org", help="Only articles naming this organisation (repeatable).")] = None,  # noqa: UP007,E501
    facets: Annotated[bool, typer.Option("--facets", help="Also count people, places, orgs and months over all matches.")] = False,  # noqa: E501
    sort: Annotated[Sort, typer.Option(help="Order of results.")] = Sort.relevance,
    limit: Annotated[int, typer.Option("-n", "--limit", help="Results per page.")] = 10,
    page: Annotated[int, typer.Option(help="Page of results to show.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines: one object per hit, then a summary.")] = False,  # noqa: E501
    color: Annotated[Color, typer.Option(help="Colour output: auto (terminal only, honours NO_COLOR).")] = Color.auto,  # noqa: E501
    index_dir: Annotated[str | None, typer.Option(help="Index directory (default: $SEARCH_INDEX_DIR, else the per-user data directory).")] = None,  # noqa: UP007,E501
) -> None:
    from newsgrep.index.config import resolve_index_dir
    from newsgrep.index.store import IndexMissing, IndexProblem
    from newsgrep.search.dates import DateError, parse_bound
    from newsgrep.search.query import QueryError
    from newsgrep.search.results import SearchRequest, run_search

    try:
        request = SearchRequest(
            words=" ".join(words or []),
            since=parse_bound(since, end=False) if since else None,
            until=parse_bound(until, end=True) if until else None,
            people=person or [], places=place or [], orgs=org or [],
            sort=sort.value, limit=limit, page=page, facets=facets,
        )
    except DateError as exc:
        fail(str(exc), EXIT_USAGE)
    if not request.words.strip() and not (request.people or request.places or request.orgs
                                          or request.since or request.until):
        fail("give words to search for, or a filter (--person, --since, ...); see --help", EXIT_USAGE)
    root, is_default = resolve_index_dir(index_dir)
    try:
        try:
            response = run_search(root, request)
        except IndexMissing:
            if not is_default:
                raise
            _build_from_seeds(root)
            response = run_search(root, request)
    except QueryError as exc:
        fail(str(exc), EXIT_USAGE)
    except IndexProblem as exc:
        fail(str(exc), EXIT_INDEX, exc.hint)
    if as_json:
        _print_json(response)
    else:
        _print_text(response, use_color(color.value))
    raise typer.Exit(EXIT_OK if response.total else EXIT_NO_HITS)


def _build_from_seeds(root) -> None:
    """First run: index the bundled sample articles so `search "peace talks"` answers at once."""
    from importlib import resources

    from newsgrep.index.store import add

    seeds = resources.files("newsgrep.seeds")
    print(f"search: no index yet; building one at {root} from the bundled sample articles", file=sys.stderr)
    add(root, [str(seeds)])


def _print_json(response) -> None:
    from newsgrep.search.snippets import plain, split_marks

    out = sys.stdout
    for hit in response.hits:
        snippet = hit.snippet
        spans, pos = [], 0
        for piece, is_match in split_marks(snippet):
            if is_match:
                spans.append([pos, pos + len(piece)])
            pos += len(piece)
        out.write(json_line({
            "rank": hit.rank, "id": hit.id, "path": hit.path, "title": hit.title,
            "date": hit.date.isoformat() if hit.date else None, "score": hit.score,
            "snippet": plain(snippet), "highlights": spans, "url": hit.url,
            "people": hit.people, "places": hit.places, "orgs": hit.orgs,
        }) + "\n")
    facets = None
    if response.facets is not None:
        facets = {name: [{"value": v, "count": c} for v, c in values] for name, values in response.facets.items()}
    out.write(json_line({
        "total": response.total, "page": response.page, "pages": response.pages,
        "facets": facets, "suggestion": response.suggestion,
        "matched": [{"kind": m.kind, "asked": m.asked, "names": m.names, "how": m.how,
                     "suggestions": m.suggestions}
                    for m in response.entity_matches],
    }) + "\n")


def _print_text(response, color: bool) -> None:
    from newsgrep.search.snippets import split_marks

    err = sys.stderr
    for m in response.entity_matches:
        if m.how == "none":
            closest = f"; closest: {safe(', '.join(m.suggestions))}" if m.suggestions else ""
            print(f"search: no {m.kind} in the index matches {safe(m.asked)!r}{closest}", file=err)
        elif m.how != "exact":
            print(f"search: --{m.kind} {safe(m.asked)!r} matched {safe(m.describe())}", file=err)
    lines = []
    for hit in response.hits:
        date = hit.date.isoformat() if hit.date else "undated"
        lines.append(f"{style(str(hit.rank) + '.', '2', color)} {style(safe(hit.title) or '(untitled)', '1', color)}"
                     f"  {style(date, '36', color)}")
        lines.append(f"   {style(safe_path(hit.path), '35', color)}")
        snippet = "".join(style(safe(p), "1;31", color) if m else safe(p) for p, m in split_marks(hit.snippet))
        if snippet:
            lines.append(f"   {snippet}")
        lines.append("")
    if response.total:
        shown = f"{response.hits[0].rank}-{response.hits[-1].rank}" if response.hits else "none"
        lines.append(f"{response.total} matching article{'s' if response.total != 1 else ''} "
                     f"(showing {shown}, page {response.page} of {response.pages})")
    else:
        lines.append("no matching articles")
    if response.suggestion:
        lines.append(f"did you mean: {safe(response.suggestion)}")
    if response.facets is not None:
        lines.extend(_facet_lines(response.facets, color))
    sys.stdout.write("\n".join(lines) + "\n")


def _facet_lines(facets, color: bool) -> list[str]:
    lines = []
    for name, title in (("people", "People"), ("places", "Places"), ("orgs", "Organisations"), ("months", "Months")):
        values = facets.get(name) or []
        lines.append("")
        lines.append(style(title, "1", color))
        if not values:
            lines.append("  (none)")
        for value, count in values:
            lines.append(f"  {count:>5}  {safe(value)}")
    return lines


def main() -> None:
    """Console entry point."""
    run_app(app, quick_exit=True)
