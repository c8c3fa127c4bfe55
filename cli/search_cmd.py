"""`search WORDS...`: ranked results, filters, facets, snippets and JSON Lines from the terminal."""

import sys
from enum import Enum
from typing import Annotated

import typer

from newsgrep.cli import printer
from newsgrep.cli.common import (
    EXIT_INDEX,
    EXIT_NO_HITS,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    json_line,
    run_app,
    safe_path,
    use_color,
)

app = typer.Typer(add_completion=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})


class Sort(str, Enum):
    relevance = "relevance"
    date = "date"
    date_asc = "date-asc"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class Color(str, Enum):
    auto = "auto"
    never = "never"
    always = "always"


# The library names the fields of a request (search/results.py SearchRequest); errors show our flags.
FLAGS = {"since": "--since", "until": "--until", "limit": "--limit", "page": "--page", "people": "--person",
         "places": "--place", "orgs": "--org", "sources": "--source", "facet_names": "--facets",
         "facet_size": "--facet-size", "timeline": "--timeline", "vs": "--vs", "top_words": "--top-words"}


def _show_version(value: bool) -> None:
    if value:
        from newsgrep.cli.common import package_version

        print(f"search (newsgrep) {package_version()}")
        raise typer.Exit(EXIT_OK)


@app.command(help="Search the news index. Up to three words match articles with all of them, longer queries "
                  "three quarters of their words (--any, --all to choose); more matched words rank higher. "
                  '"a phrase", -exclude, +require, AND/OR/NOT, word*, word~ and title: work too.')
def search(
    words: Annotated[list[str] | None, typer.Argument(help="Words to search for.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date, inclusive: 2022-03-01, 2022-03, 7d, 2w, yesterday.")] = None,  # noqa: E501
    until: Annotated[str | None, typer.Option(help="Up to this date, inclusive (same forms as --since).")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", help="Only articles naming this person (repeatable).")] = None,  # noqa: E501
    place: Annotated[list[str] | None, typer.Option("--place", help="Only articles naming this place (repeatable).")] = None,  # noqa: E501
    org: Annotated[list[str] | None, typer.Option("--org", help="Only articles naming this organisation (repeatable).")] = None,  # noqa: E501
    source: Annotated[list[str] | None, typer.Option("--source", help="Only articles from this outlet, e.g. Reuters or bbc.co.uk (repeatable: any of them).")] = None,  # noqa: E501
    facets: Annotated[str | None, typer.Option("--facets", metavar="[LIST]", help="Also count facets over all matches: people, places, orgs, months (all four when no list is given), sources.")] = None,  # noqa: E501
    facet_size: Annotated[int, typer.Option("--facet-size", help="Values shown per facet.")] = 10,
    sort: Annotated[Sort, typer.Option(help="Order of results.")] = Sort.relevance,
    limit: Annotated[int, typer.Option("-n", "--limit", help="Results per page (0: only the summary).")] = 10,
    page: Annotated[int, typer.Option(help="Page of results to show.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines: one object per hit, then a summary.")] = False,
    color: Annotated[Color, typer.Option(help="Colour output: auto (terminal only, honours NO_COLOR).")] = Color.auto,
    index_dir: Annotated[str | None, typer.Option(help="Index directory (default: $SEARCH_INDEX_DIR, else the per-user data directory).")] = None,  # noqa: E501
    count: Annotated[bool, typer.Option("--count", help="Print the number of matching articles only.")] = False,
    files_only: Annotated[bool, typer.Option("-l", "--files-only", help="Print the id (a file's path) of every match, one a line.")] = False,  # noqa: E501
    export: Annotated[ExportFormat | None, typer.Option(help="Write every matching article with its cleaned body as JSON Lines or CSV.")] = None,  # noqa: E501
    timeline: Annotated[str | None, typer.Option("--timeline", metavar="[day|week|month|year]", help="Matches per period as a bar chart (period picked from the span when not given).")] = None,  # noqa: E501
    normalize: Annotated[bool, typer.Option("--normalize", help="Timeline as a share of all indexed articles of each period.")] = False,  # noqa: E501
    vs: Annotated[list[str] | None, typer.Option("--vs", help="Compare with another query (repeatable): totals, timelines, top facet values.")] = None,  # noqa: E501
    top_words: Annotated[int, typer.Option("--top-words", help="The N words and two-word phrases most characteristic of the matches.")] = 0,  # noqa: E501
    plot: Annotated[str | None, typer.Option(help="Also draw the timeline into this .svg or .png file (needs the [plot] extra).")] = None,  # noqa: E501
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version, help="Print the version and exit.")] = False,  # noqa: E501
    any_word: Annotated[bool, typer.Option("--any", help="Match articles with any of the words.")] = False,
    all_words: Annotated[bool, typer.Option("--all", help="Match only articles with all of the words.")] = False,
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
            people=person or [], places=place or [], orgs=org or [], sources=source or [],
            sort=sort.value, limit=limit, page=page, facets=facets is not None,
            facet_names=_facet_names(facets), facet_size=facet_size,
            timeline=timeline or ("auto" if normalize or plot or vs else None), normalize=normalize,
            vs=vs or [], top_words=top_words, count_only=count or files_only or export is not None,
            match="any" if any_word else "all" if all_words else "auto",
        )
    except DateError as exc:
        fail(str(exc), EXIT_USAGE)
    if any_word and all_words:
        fail("--any and --all ask for opposite things: give one of them", EXIT_USAGE)
    if plot:
        _check_plot(plot)
    whole_index = count or files_only or export is not None or request.timeline or limit == 0  # summaries
    if not request.words.strip() and not (request.people or request.places or request.orgs or request.sources
                                          or request.since or request.until or whole_index):
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
        fail(exc.render(FLAGS), EXIT_USAGE)
    except IndexProblem as exc:
        fail(str(exc), EXIT_INDEX, exc.hint)
    if response.partial:
        print("search: no article has all the words asked for; showing the best partial matches", file=sys.stderr)
    if count:
        printer.print_count(response, as_json)
    elif files_only or export is not None:
        printer.report_matches(response)
        if response.total:
            _write_matches(root, request, "ids" if files_only else export.value)
    elif as_json:
        printer.print_json(response)
    else:
        printer.print_text(response, use_color(color.value))
    if plot and response.timeline is not None:
        _draw_plot(response, plot, request.words)
    raise typer.Exit(EXIT_OK if response.total else EXIT_NO_HITS)


def _build_from_seeds(root) -> None:
    """First run on the default index: the bundled sample articles, so `search "peace talks"` answers."""
    from newsgrep.index.store import add_seeds

    print(f"search: no index yet; building one at {root} from the bundled sample articles", file=sys.stderr)
    add_seeds(root)


def _facet_names(value: str | None) -> list[str] | None:
    """--facets people,places as a list; None (the default four) for a bare --facets."""
    if value is None or value == ALL_FACETS:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _write_matches(root, request, mode: str) -> None:
    """Every match, streamed: its id (-l), or the whole record as JSON Lines or CSV (--export)."""
    import csv

    from newsgrep.index.store import IndexProblem
    from newsgrep.search.export import COLUMNS, OutputClosed, export

    out = sys.stdout
    if mode == "ids":
        def write(record: dict) -> None:
            out.write(safe_path(record["id"]) + "\n")
    elif mode == "jsonl":
        def write(record: dict) -> None:
            out.write(json_line({"type": "hit", **record}) + "\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)

        def write(record: dict) -> None:
            writer.writerow(["; ".join(v) if isinstance(v, list) else "" if v is None else v
                             for v in (record[c] for c in COLUMNS)])
    try:
        export(root, request, write)
    except IndexProblem as exc:
        fail(str(exc), EXIT_INDEX, exc.hint)
    except OutputClosed as exc:
        if isinstance(exc.__cause__, BrokenPipeError):  # `search -l | head`: the reader has all it wanted
            raise typer.Exit(EXIT_OK) from None
        fail(f"cannot write the output: {exc.__cause__}", EXIT_USAGE)


def _check_plot(path: str) -> None:
    """--plot needs a known image type and matplotlib; both are checked before searching."""
    from pathlib import Path

    if Path(path).suffix.lower() not in (".svg", ".png"):
        fail(f"--plot {safe_path(path)!r}: the file must end in .svg or .png", EXIT_USAGE)
    try:
        import matplotlib  # noqa: F401 - only to know it is there, before the search runs
    except ImportError:
        fail("--plot needs matplotlib, which is not installed", EXIT_USAGE,
             "install it with: pip install 'newsgrep[plot]' (or pip install matplotlib)")


def _draw_plot(response, path: str, words: str) -> None:
    from newsgrep.cli.plot import draw

    series = response.series or []
    timelines = [s.timeline for s in series] or [response.timeline]
    names = [s.query or "(filters only)" for s in series] or [words or "(filters only)"]
    try:
        draw(timelines, names, path)
    except OSError as exc:
        fail(f"--plot: cannot write {safe_path(path)!r}: {exc.strerror or exc}", EXIT_USAGE)
    print(f"search: timeline drawn in {safe_path(path)}", file=sys.stderr)


ALL_FACETS = "all"
OPTIONAL_VALUES = {  # options that may stand alone: the value they take then, and the values they accept
    "--facets": (ALL_FACETS, None),
    "--timeline": ("auto", ("auto", "day", "week", "month", "year")),
}


def optional_values(argv: list[str]) -> list[str]:
    """Give --facets and --timeline their default value when they stand alone.

    Click has no options whose value may be left out, so `--facets` alone becomes `--facets=all` and
    `--timeline` alone `--timeline=auto`. The next argument is their value when it is one they take
    (a list of facet names, or a period), else a word of the query: `search --facets peace talks`.
    """
    from newsgrep.search.research import FACETS

    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg in OPTIONAL_VALUES:
            default, accepted = OPTIONAL_VALUES[arg]
            following = argv[i + 1] if i + 1 < len(argv) else None
            names = following.split(",") if following else []
            takes = following is not None and (
                following in accepted if accepted else names and all(n.strip() in FACETS for n in names))
            if takes:
                out.append(f"{arg}={following}")
                i += 2
                continue
            out.append(f"{arg}={default}")
        else:
            out.append(arg)
        i += 1
    return out


def words_last(args: list[str]) -> list[str]:
    """The arguments with every word after a `--`, so that `search oil -opec` excludes OPEC.

    A word starting with a single dash that is no option of ours (`-opec`, `-"cease fire"`) is a word
    of the query; Click would refuse it as an unknown option. Options, with their values, keep their
    places; words keep their order. Long options we do not know (`--limt`) are left for Click to refuse.
    """
    if not any(a.startswith("-") and not a.startswith("--") and a[:2] not in ("-n", "-h") for a in args):
        return args  # nothing to move (most searches): typer's command is not built twice
    command = typer.main.get_command(app)
    takes_value: set[str] = set()
    flags: set[str] = {"-h", "--help"}
    for param in command.params:
        if param.param_type_name == "option":
            names = [*param.opts, *param.secondary_opts]
            (flags if param.is_flag else takes_value).update(names)
    options: list[str] = []
    words: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            words.extend(args[i + 1:])
            break
        name = arg.split("=", 1)[0]
        if name in takes_value and "=" not in arg:
            options.extend(args[i:i + 2])
            i += 2
            continue
        if name in takes_value or name in flags or arg.startswith("--") or \
                (arg[:2] in takes_value and arg[2:].isdigit()):  # -n5
            options.append(arg)
        else:
            words.append(arg)
        i += 1
    return [*options, "--", *words] if words else options


def main() -> None:
    """Console entry point."""
    sys.argv[1:] = words_last(optional_values(sys.argv[1:]))
    run_app(app, quick_exit=True)
