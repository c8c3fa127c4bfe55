"""`search-index`: add files incrementally, rebuild atomically, show stats, and show what the cleaner
and the entity extractor make of any file or text."""


import sys
from typing import Annotated

import typer

from newsgrep.cli import printer
from newsgrep.cli.common import EXIT_INDEX, EXIT_NO_HITS, EXIT_OK, EXIT_USAGE, fail, json_line, run_app, safe, safe_path

app = typer.Typer(add_completion=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Build and inspect the news index used by `search`.")

IndexDir = Annotated[str | None, typer.Option(
    help="Index directory (default: $SEARCH_INDEX_DIR, else the per-user data directory).")]
Wait = Annotated[float, typer.Option(help="Seconds to wait for another writer before giving up.")]
Follow = Annotated[bool, typer.Option(
    "--follow", help="Follow symbolic links that lead out of the indexed folders (remembered by the index).")]


def _show_version(value: bool) -> None:
    if value:
        from newsgrep.cli.common import package_version

        print(f"search-index (newsgrep) {package_version()}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                                   help="Print the version and exit.")] = False) -> None:
    """Options of search-index itself, before its command."""


def _progress():
    """A progress bar on a terminal; nothing when stderr is a file or a pipe, so logs stay clean."""
    if not sys.stderr.isatty():
        return None

    shown = [-1]

    def show(done: int, total: int) -> None:
        """`done` of `total` bytes read: a large JSON Lines file moves the bar as it is read."""
        step = 1000 * done // max(total, 1)
        if done != total and step == shown[0]:
            return
        shown[0] = step
        filled = 30 * done // max(total, 1)
        end = "\n" if done == total else ""
        bar = "#" * filled + "-" * (30 - filled)
        print(f"\rindexing [{bar}] {done / 1e6:.1f}/{total / 1e6:.1f} MB", end=end, file=sys.stderr, flush=True)

    return show


def _report(summary, root) -> None:
    for path, reason in summary.skipped:
        print(f"search-index: skipped {safe_path(path)}: {safe(reason)}", file=sys.stderr)
    for path, why, files in summary.unavailable:
        print(f"search-index: {safe_path(path)} is unavailable ({why}): its {files} indexed "
              f"file{'s' if files != 1 else ''} are kept; forget them with: search-index remove {safe_path(path)}",
              file=sys.stderr)
    for warning in summary.warnings:
        print(f"search-index: {warning}", file=sys.stderr)
    print(f"added {summary.added}, updated {summary.updated}, removed {summary.removed}, "
          f"unchanged {summary.unchanged}, skipped {summary.skipped_files} files"
          f"{f' and {summary.skipped_records} records' if summary.skipped_records else ''}; "
          f"{_records(summary.records)}{summary.articles} articles written to {safe(str(root))}")
    raise typer.Exit(EXIT_NO_HITS if summary.skipped or summary.unavailable else EXIT_OK)


def _records(counts: list[int] | None) -> str:
    """The JSON Lines records an add read, when it read any: only those added or updated were indexed."""
    if counts is None:
        return ""
    added, updated, removed, unchanged = counts
    return f"records: added {added}, updated {updated}, removed {removed}, unchanged {unchanged}; "


def _run_writer(action, index_dir, paths, wait, **options):
    from newsgrep.index.config import resolve_index_dir
    from newsgrep.index.store import IndexProblem

    root, _ = resolve_index_dir(index_dir)
    try:
        summary = action(root, paths, wait=wait, **options)
    except IndexProblem as exc:
        fail(str(exc), EXIT_INDEX, exc.hint)
    _report(summary, root)


@app.command(help="Index new and changed files; drop files gone from folders indexed before.")
def add(paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt, .html, .htm, .jsonl).")],
        index_dir: IndexDir = None, wait: Wait = 10.0,
        prune: Annotated[bool, typer.Option(
            "--prune", help="Also forget a given path that yields no files now (missing, empty, unreadable).")] = False,
        follow: Follow = False,
        ) -> None:
    from newsgrep.index.store import add as do_add

    _run_writer(do_add, index_dir, paths, wait, progress=_progress(), prune=prune, follow=follow)


@app.command(help="Build a fresh index beside the live one and swap it in atomically.")
def rebuild(paths: Annotated[list[str] | None, typer.Argument(
                help="Files or folders (default: those indexed before).")] = None,
            index_dir: IndexDir = None, wait: Wait = 10.0, follow: Follow = False) -> None:
    from newsgrep.index.store import rebuild as do_rebuild

    _run_writer(do_rebuild, index_dir, paths or None, wait, progress=_progress(), follow=follow)


@app.command(help="Forget files or folders: their articles leave the index (the files are not touched).")
def remove(paths: Annotated[list[str], typer.Argument(help="Files or folders indexed before; they may be gone.")],
           index_dir: IndexDir = None, wait: Wait = 10.0) -> None:
    from newsgrep.index.store import remove as do_remove

    _run_writer(do_remove, index_dir, paths, wait)


@app.command(help="Counts, dates and location of the index.")
def stats(index_dir: IndexDir = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    from newsgrep.index.config import resolve_index_dir
    from newsgrep.index.store import IndexProblem
    from newsgrep.index.store import stats as do_stats

    root, _ = resolve_index_dir(index_dir)
    try:
        info = do_stats(root)
    except IndexProblem as exc:
        fail(str(exc), EXIT_INDEX, exc.hint)
    if as_json:
        print(json_line(info))
        return
    width = max(map(len, info))
    for key, value in info.items():
        shown = ", ".join(value) if isinstance(value, list) else ("-" if value is None else value)
        print(f"{key.replace('_', ' '):<{width}}  {safe(str(shown))}")


@app.command(help="Print the cleaned article(s) of a file, with title, date and entities; nothing is indexed.")
def clean(path: Annotated[str, typer.Argument(help="A .txt, .html, .htm or .jsonl file.")],
          as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article.")] = False) -> None:
    from pathlib import Path

    from newsgrep.index.articles import load_file
    from newsgrep.index.read import SkipFile, find_files

    found = list(find_files([path]))
    if len(found) != 1 or found[0][1]:
        reason = found[0][1] if len(found) == 1 else "expected one file"
        fail(f"{path}: {reason}", EXIT_USAGE)
    problems = 0
    for item in load_file(Path(found[0][0])):
        if isinstance(item, SkipFile):
            problems += 1
            where = f"{found[0][0]}:{item.line}" if item.line else found[0][0]
            print(f"search-index: {safe_path(where)}: {safe(str(item))}", file=sys.stderr)
            continue
        data = printer.article_record(item)
        if as_json:
            print(json_line(data))
            continue
        printer.print_article(data)
    raise typer.Exit(EXIT_NO_HITS if problems else EXIT_OK)


@app.command(help="Print one indexed article by its id (as search --json gives it) or its URL.")
def show(article_id: Annotated[str, typer.Argument(metavar="ID", help="A file path, file.jsonl#id, or the URL.")],
         index_dir: IndexDir = None,
         as_json: Annotated[bool, typer.Option("--json", help="One JSON object, as clean --json.")] = False) -> None:
    from newsgrep.index.config import resolve_index_dir
    from newsgrep.index.store import IndexProblem
    from newsgrep.search.show import stored_article

    root, _ = resolve_index_dir(index_dir)
    try:
        article = stored_article(root, article_id)
    except IndexProblem as exc:
        fail(str(exc), EXIT_INDEX, exc.hint)
    if article is None:
        fail(f"no article with id or URL {article_id!r} in the index (ids are printed by search --json)",
             EXIT_NO_HITS)
    data = printer.article_record(article)
    if as_json:
        print(json_line(data))
        return
    printer.print_article(data)


@app.command(help="Read text on stdin and print each entity mention: offsets, type, canonical name.")
def entities(as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one mention each.")] = False) -> None:
    from newsgrep.index.entities import extract_mentions
    from newsgrep.index.read import sanitize

    raw = sys.stdin.buffer.read()
    text = raw.decode("utf-8", errors="replace")
    if sanitize(text) != text:
        text = sanitize(text)
    out = []
    for m in extract_mentions(text):
        if as_json:
            out.append(json_line({"text": m.text, "start": m.start, "end": m.end, "type": m.type,
                                   "canonical": m.canonical}))
        else:
            out.append(f"{m.start}\t{m.end}\t{m.type}\t{safe(m.text)}\t{safe(m.canonical)}")
    if out:
        sys.stdout.write("\n".join(out) + "\n")


def main() -> None:
    """Console entry point."""
    run_app(app)
