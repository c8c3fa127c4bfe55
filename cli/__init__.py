"""The typer command-line front ends: argument parsing and rendering, nothing more."""

from newsgrep.index import import_lightly, lazy

# typer imports these at the top for shell completion, "did you mean" hints, translated messages
# and (through pathlib and urllib.parse) IP addresses, none of which a plain search uses: they load
# when first used (see index.import_lightly).
import_lightly(("typer",), {"subprocess": {}, "shellingham": {}, "ipaddress": {},
                            "difflib": {"get_close_matches": lazy("difflib", "get_close_matches")},
                            "gettext": {"gettext": lazy("gettext", "gettext")}})
