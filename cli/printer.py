"""Everything the `search` and `search-index` commands print about results and articles, as text or
as JSON Lines: one place for the shape of a hit, a summary and an article, as ripgrep keeps its
output in its printer. The commands parse arguments and choose; this writes."""

from __future__ import annotations

import sys

from newsgrep.cli.common import json_line, safe, safe_path, style


def article_record(article) -> dict:
    """An article as `search-index clean --json` and `show --json` print it."""
    return {
        "id": article.doc_id,
        "path": article.path,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "url": article.url,
        "source": article.source,
        "body": article.body,
        "people": article.entities.people,
        "places": article.entities.places,
        "orgs": article.entities.orgs,
    }


def print_article(data: dict) -> None:
    """The text form shared by clean and show: the fields, then the body."""
    print(f"title:  {safe(data['title'])}")
    print(f"date:   {data['date'] or 'undated'}")
    print(f"source: {safe(data['source'] or '-')}")
    print(f"url:    {safe(data['url'] or '-')}")
    for kind in ("people", "places", "orgs"):
        print(f"{kind + ':':<7} {safe(', '.join(data[kind])) or '-'}")
    print()
    print(safe(data["body"]))
    print()


def hit_record(hit) -> dict:
    """One ranked hit as a JSON Lines record: the snippet as plain text, its matched words as
    [start, end) character offsets into it."""
    from newsgrep.search.snippets import plain, split_marks

    spans, pos = [], 0
    for piece, is_match in split_marks(hit.snippet):
        if is_match:
            spans.append([pos, pos + len(piece)])
        pos += len(piece)
    return {
        "type": "hit", "rank": hit.rank, "id": hit.id, "path": hit.path, "title": hit.title,
        "date": hit.date.isoformat() if hit.date else None, "score": hit.score,
        "snippet": plain(hit.snippet), "highlights": spans, "url": hit.url, "source": hit.source,
        "people": hit.people, "places": hit.places, "orgs": hit.orgs,
    }


def summary_record(response) -> dict:
    """The JSON Lines record that ends a search's output."""
    facets = None
    if response.facets is not None:
        facets = {name: [{"value": v, "count": c} for v, c in values] for name, values in response.facets.items()}
    return {
        "type": "summary", "total": response.total, "page": response.page, "pages": response.pages,
        "facets": facets, "suggestion": response.suggestion,
        "matched": [{"kind": m.kind, "asked": m.asked, "names": m.names, "how": m.how,
                     "suggestions": m.suggestions}
                    for m in response.entity_matches],
        **_research_json(response),
    }


def print_json(response) -> None:
    out = sys.stdout
    for hit in response.hits:
        out.write(json_line(hit_record(hit)) + "\n")
    out.write(json_line(summary_record(response)) + "\n")


def report_matches(response) -> None:
    """What each --person/--place/--org value matched, on stderr."""
    err = sys.stderr
    for m in response.entity_matches:
        if m.how == "none":
            closest = f"; closest: {safe(', '.join(m.suggestions))}" if m.suggestions else ""
            print(f"search: no {m.kind} in the index matches {safe(m.asked)!r}{closest}", file=err)
        elif m.how != "exact":
            print(f"search: --{m.kind} {safe(m.asked)!r} matched {safe(m.describe())}", file=err)


def print_text(response, color: bool) -> None:
    from newsgrep.search.snippets import split_marks

    report_matches(response)
    lines = []
    for hit in response.hits:
        date = hit.date.isoformat() if hit.date else "undated"
        lines.append(f"{style(str(hit.rank) + '.', '2', color)} {style(safe(hit.title) or '(untitled)', '1', color)}"
                     f"  {style(date, '36', color)}")
        where = style(safe(hit.url) if hit.url else safe_path(hit.id), "35", color)  # which article: file#id
        lines.append(f"   {safe(hit.source)} · {where}" if hit.source else f"   {where}")
        snippet = "".join(style(safe(p), "1;31", color) if m else safe(p) for p, m in split_marks(hit.snippet))
        if snippet:
            lines.append(f"   {snippet}")
        lines.append("")
    if response.total and not response.pages:  # -n 0: the summary only
        lines.append(f"{response.total} matching article{'s' if response.total != 1 else ''}")
    elif response.total:
        shown = f"{response.hits[0].rank}-{response.hits[-1].rank}" if response.hits else "none"
        lines.append(f"{response.total} matching article{'s' if response.total != 1 else ''} "
                     f"(showing {shown}, page {response.page} of {response.pages})")
    else:
        lines.append("no matching articles")
    if response.suggestion:
        lines.append(f"did you mean: {safe(response.suggestion)}")
    if response.facets is not None:
        lines.extend(_facet_lines(response.facets, color))
    lines.extend(_research_lines(response, color))
    sys.stdout.write("\n".join(lines) + "\n")


def _facet_lines(facets, color: bool) -> list[str]:
    from newsgrep.cli.charts import FACET_TITLES

    lines = []
    for name, title in ((name, FACET_TITLES.get(name, name)) for name in facets):
        values = facets.get(name) or []
        lines.append("")
        lines.append(style(title, "1", color))
        if not values:
            lines.append("  (none)")
        for value, count in values:
            lines.append(f"  {count:>5}  {safe(value)}")
    return lines


def print_count(response, as_json: bool) -> None:
    report_matches(response)
    if as_json:
        sys.stdout.write(json_line({"type": "summary", "total": response.total}) + "\n")
    else:
        sys.stdout.write(f"{response.total}\n")


def _research_json(response) -> dict:
    """The summary's timeline, comparison and top words, when asked for."""
    out: dict = {}
    if response.timeline is not None:
        out.update(_timeline_json(response.timeline))
    if response.series:
        out["vs"] = [{"query": s.query, "total": s.total, **_timeline_json(s.timeline),
                      "facets": {k: [{"value": v, "count": c} for v, c in vals] for k, vals in s.facets.items()}}
                     for s in response.series]
    if response.top_words is not None:
        out["top_words"] = [{"term": w.term, "count_in": w.count_in, "count_out": w.count_out, "score": w.score}
                            for w in response.top_words]
    return out


def _timeline_json(timeline) -> dict:
    return {"interval": timeline.interval, "normalized": timeline.normalized, "undated": timeline.undated,
            "timeline": [{"period": p.period, "count": p.count, "share": p.share}
                         | ({"articles": p.base} if p.base is not None else {}) for p in timeline.periods]}


def _research_lines(response, color: bool) -> list[str]:
    from newsgrep.cli import charts

    lines = []
    if response.series:
        lines.extend(charts.comparison_lines(response.series, color))
    if response.timeline is not None:
        timelines = [s.timeline for s in response.series] or [response.timeline]
        names = [s.query or "(filters only)" for s in response.series] or [""]
        lines.extend(charts.timeline_lines(timelines, names, fancy=color, color=color))
    if response.top_words is not None:
        lines.extend(charts.top_word_lines(response.top_words, color))
    return lines


