"""What both console scripts share: exit codes, one-line errors, colour decisions, safe text."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import NoReturn

from newsgrep.index.chars import controls

EXIT_OK, EXIT_NO_HITS, EXIT_USAGE, EXIT_INDEX = 0, 1, 2, 3
EXIT_BUG = 70  # sysexits EX_SOFTWARE: an error we did not foresee

_UNSAFE = controls(keep="\t\n")


def safe(text: str) -> str:
    """Text from articles or paths with anything that could drive a terminal removed."""
    return _UNSAFE.sub("", text)


# Bidirectional controls (embeddings, overrides, isolates, marks): in a file name, U+202E makes
# "report\u202etxt.exe" display as "reportexe.txt"; shown escaped, the name is what it is.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe_path(path: str) -> str:
    """A path on one line: newlines and tabs in file names shown as \\n and \\t, bidirectional
    controls as \\uXXXX, other controls dropped."""
    return _BIDI.sub(_escape, safe(path.replace("\n", "\\n").replace("\t", "\\t")))


_C1 = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_line(obj: object) -> str:
    """One JSON object, readable UTF-8, with DEL, C1 and bidirectional controls escaped as JSON already
    escapes C0.

    The values are exact (paths must stay openable); only their spelling in the stream changes, so
    piping `--json` to a terminal can never send it a control sequence.
    """
    return _C1.sub(_escape, json.dumps(obj, ensure_ascii=False))


def fail(message: str, code: int, hint: str = "") -> NoReturn:
    """Print one clear line (and an optional how-to-recover line) on stderr and exit."""
    prog = os.path.basename(sys.argv[0]) or "search"
    print(f"{prog}: {safe(message)}", file=sys.stderr)
    if hint:
        print(f"{prog}: {hint}", file=sys.stderr)
    raise SystemExit(code)


def use_color(choice: str, stream=sys.stdout) -> bool:
    """--color always/never win; auto means a terminal and no NO_COLOR, as ripgrep and git do."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def style(text: str, code: str, color: bool) -> str:
    """Wrap text in an SGR colour code when colour is on."""
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def run_app(app, quick_exit: bool = False) -> None:
    """Run a typer app so that nothing escapes as a traceback: an unforeseen error is one line too.

    Click's own usage errors come as a usage block and a blank line; here they are our one line and a
    pointer to --help, like every other error, with exit code 2.

    With `quick_exit` (for `search`, which writes nothing but its output) the process ends as soon as
    its output is flushed, without the interpreter freeing every object of Whoosh and typer one by
    one: that teardown was about 25 ms of a 150 ms one-shot search.
    """
    _exit_on_signals()
    try:
        _run_app(app)
    except SystemExit as done:
        # An interrupted writer ends at once as well: multiprocessing's exit handler would wait for
        # Whoosh's sub-writers, which never stop by themselves (they die with this process).
        if not quick_exit and done.code not in _SIGNAL_EXITS.values():
            raise
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (`search ... | head`): nothing left to say
                pass
        os._exit(code)


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
_SIGNAL_EXITS = {"SIGINT": 130, "SIGHUP": 129, "SIGTERM": 143}


class Signalled(BaseException):
    """SIGTERM or SIGHUP, raised where the process is, so that a writer cancels what it began."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _exit_on_signals() -> None:
    import signal

    def handler(signum: int, frame) -> None:
        raise Signalled(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def _interrupted(code: int) -> None:
    """One line and the shell's exit code for the signal: nothing half-written is ever committed."""
    prog = os.path.basename(sys.argv[0]) or "search"
    print(f"{prog}: interrupted; the index keeps its last complete commit", file=sys.stderr)
    raise SystemExit(code) from None


def _run_app(app) -> None:
    import typer

    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # usage errors (exit code 2) and click's other errors
        prog = os.path.basename(sys.argv[0]) or "search"
        message = exc.format_message()
        if "\n" in message:  # the help text itself, shown when a command is run with nothing to do
            print(message, file=sys.stderr)
            raise SystemExit(EXIT_USAGE) from None
        usage = getattr(exc, "exit_code", EXIT_USAGE) == EXIT_USAGE
        fail(message, EXIT_USAGE, f"try '{prog} --help'" if usage else "")
    except (typer.Abort, KeyboardInterrupt):
        _interrupted(EXIT_INTERRUPTED)
    except Signalled as signalled:
        _interrupted(signalled.code)
    except Exception as exc:
        fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_BUG, "please report this")
    if code == EXIT_INTERRUPTED:  # typer answers Ctrl-C itself, with this code and nothing said
        _interrupted(code)
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)


def package_version() -> str:
    """The installed distribution's version (--version on both commands)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsgrep")
    except PackageNotFoundError:
        return "unknown"
