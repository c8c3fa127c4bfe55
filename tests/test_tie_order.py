"""Hits with equal scores come in the same order however the same files were indexed: one add, a
rebuild, or adds of the files in another order (issue 12, part 12). The tie goes by article id, not by
Whoosh's document number, which follows the order of indexing."""

from __future__ import annotations

from pathlib import Path

from conftest import run, search_json, write_corpus

TWINS = 24


def _corpus(folder: Path) -> list[Path]:
    """24 articles with the same words (equal scores for 'tiecorpus'), and 30 others."""
    write_corpus(folder, 30, "othercorpus")
    twins = []
    for i in range(TWINS):
        path = folder / f"twin{(i * 7) % TWINS:02d}.txt"  # names not in the order they are written
        path.write_text("Twin report\n\nThe tiecorpus report on the harbour budget and the river school.\n",
                        encoding="utf-8")
        twins.append(path)
    return twins


def _orders(env: dict) -> list[list[str]]:
    """The ids of every page of 'tiecorpus' (by relevance and by date), and of a page cut inside the tie."""
    pages = []
    for args in (["-n", "5", "--page", "3"], ["-n", "50"], ["-n", "7", "--sort", "date"]):
        code, hits, _, err = search_json(env, "tiecorpus", *args)
        assert code == 0, err
        pages.append([hit["id"] for hit in hits])
    return pages


def test_equal_scores_keep_one_order_however_the_files_were_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    twins = _corpus(folder)
    one = {"SEARCH_INDEX_DIR": str(tmp_path / "one")}
    assert run("search-index", "add", str(folder), env=one).returncode == 0
    code, hits, _, _ = search_json(one, "tiecorpus", "-n", "50")
    assert code == 0 and len(hits) == TWINS and len({hit["score"] for hit in hits}) == 1  # all tied
    expected = _orders(one)
    assert expected[1] == sorted(str(p) for p in twins)  # the tie goes by id

    assert run("search-index", "rebuild", env=one).returncode == 0
    assert _orders(one) == expected

    # The same files added to another index in another order, in two adds, then one file changed and
    # changed back (deleted and added again each time: a new document number at the end).
    other = {"SEARCH_INDEX_DIR": str(tmp_path / "other")}
    shuffled = twins[::-1]
    rest = [str(p) for p in folder.iterdir() if p not in twins]
    for part in ([*map(str, shuffled[12:]), *rest], map(str, shuffled[:12])):
        assert run("search-index", "add", *part, env=other).returncode == 0
    text = twins[5].read_text(encoding="utf-8")
    for version in (text + "Changed.\n", text):
        twins[5].write_text(version, encoding="utf-8")
        assert run("search-index", "add", str(folder), env=other).returncode == 0
    assert _orders(other) == expected
