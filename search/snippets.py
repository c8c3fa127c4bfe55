"""Highlighted snippets: the best fragments of the body, or its lead when the match was elsewhere."""

from __future__ import annotations

from whoosh import highlight

START, END = "\x02", "\x03"  # markers around matched words; the reader strips them from articles
LEAD_CHARS = 200


class MarkFormatter(highlight.Formatter):
    """Wrap matched words in private markers so each front end renders them its own way."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return START + highlight.get_text(text, token, replace) + END


class EarlierFirstScorer(highlight.BasicFragmentScorer):
    """Whoosh's fragment score and, between equal scores, the earlier fragment.

    Whoosh breaks ties between fragments by their memory addresses, so the same search could show
    different snippets from one run to the next. Its scores are whole multiples of 100 for fragments
    that match (nothing is boosted here), so adding less than one changes nothing else.
    """

    def __call__(self, fragment) -> float:
        return super().__call__(fragment) + 1 / (2 + fragment.startchar)


def configure(results) -> None:
    """Fragments of about 200 characters with 40 of context, as the CLI shows them."""
    results.fragmenter = highlight.ContextFragmenter(maxchars=LEAD_CHARS, surround=40)
    results.formatter = MarkFormatter()
    results.scorer = EarlierFirstScorer()


def lead(body: str, limit: int = LEAD_CHARS) -> str:
    """The article's opening words, cut at a word boundary."""
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def snippet(hit) -> str:
    """Highlighted fragments from the body, else from the title's lead, else the body's lead."""
    try:
        text = hit.highlights("body", top=2)
    except Exception:
        text = ""
    return " ".join(text.split()) if text else lead(hit.get("body", ""))


def split_marks(text: str) -> list[tuple[str, bool]]:
    """(piece, is_match) pairs of a marked snippet, for renderers."""
    pieces: list[tuple[str, bool]] = []
    rest = text
    while rest:
        start = rest.find(START)
        if start < 0:
            pieces.append((rest, False))
            break
        end = rest.find(END, start)
        end = len(rest) if end < 0 else end
        if start:
            pieces.append((rest[:start], False))
        pieces.append((rest[start + 1:end], True))
        rest = rest[end + 1:]
    return [p for p in pieces if p[0]]


def plain(text: str) -> str:
    """A marked snippet without its markers."""
    return text.replace(START, "").replace(END, "")
