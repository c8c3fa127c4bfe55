"""Facet counts as `search --facets` shows them: people, places, organisations and months over all matches."""

from __future__ import annotations

from conftest import run, search_json


def test_facets_count_articles_and_months(seeded: dict) -> None:
    _, _, summary, _ = search_json(seeded, "peace talks", "--facets", "--any")  # the five with either word
    facets = summary["facets"]
    months = {m["value"]: m["count"] for m in facets["months"]}
    assert months == {"2022-03": 1, "undated": 4}
    assert facets["months"][-1]["value"] == "undated"
    people = {p["value"]: p["count"] for p in facets["people"]}
    assert people.get("Vladimir Putin", 0) >= 3
    assert people.get("Sergei Lavrov") == 3
    places = {p["value"]: p["count"] for p in facets["places"]}
    assert places["Russia"] == 5
    counts = [p["count"] for p in facets["people"]]
    assert counts == sorted(counts, reverse=True)
    text = run("search", "peace talks", "--facets", env=seeded).stdout
    assert "People" in text and "Months" in text and "undated" in text
