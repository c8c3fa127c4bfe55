"""The index never costs the user a file or runs code: writing only into folders it owns, deleting only
what it created, and loading Whoosh's pickles only through an unpickler that knows our classes.
Every run here is the installed console script on a real index in a temporary directory."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import assert_one_clear_error, run_script, script, total


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for folders): what must survive untouched."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in folder.rglob("*")}


def _users_folder(folder: Path) -> dict[str, bytes | None]:
    """A folder of a user's own things, named as an index's leftovers would be."""
    (folder / "tmp-build").mkdir(parents=True)
    (folder / "tmp-build" / "draft.txt").write_text("my draft\n")
    (folder / "gen-2-notes").mkdir()
    (folder / "gen-2-notes" / "notes.md").write_text("# notes\n")
    (folder / ".draft.tmp").write_text("unsaved\n")
    (folder / "tmp-20200101T000000000000-1").mkdir()  # even a name exactly like ours
    (folder / "tmp-20200101T000000000000-1" / "keep.txt").write_text("mine\n")
    (folder / "thesis.txt").write_text("Chapter one\n\nIt was a dark night.\n")
    return _tree(folder)


@pytest.mark.parametrize("command", ["add", "rebuild"])
def test_writing_into_a_folder_that_is_not_an_index_deletes_nothing(tmp_path: Path, seed_dir: Path,
                                                                     command: str) -> None:
    folder = tmp_path / "my-stuff"
    before = _users_folder(folder)
    result = run_script("search-index", command, str(seed_dir), "--index-dir", str(folder))
    assert_one_clear_error(result, 3, "not a newsgrep index")
    assert _tree(folder) == before


def test_home_and_current_folder_are_harmless(tmp_path: Path, seed_dir: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    before_home, before_work = _users_folder(home), _users_folder(work)
    env = {**os.environ, "NO_COLOR": "1", "HOME": str(home)}
    for args in (["add", str(seed_dir), "--index-dir", "~"], ["rebuild", str(seed_dir), "--index-dir", "~"],
                 ["add", str(seed_dir), "--index-dir", "."], ["rebuild", str(seed_dir), "--index-dir", "."]):
        result = subprocess.run([script("search-index"), *args], capture_output=True, text=True, env=env,
                                cwd=str(work), timeout=120, check=False)
        assert_one_clear_error(result, 3, "not a newsgrep index")
    assert _tree(home) == before_home and _tree(work) == before_work


def test_an_empty_folder_becomes_a_marked_private_index(tmp_path: Path, seed_dir: Path) -> None:
    empty, fresh = tmp_path / "empty", tmp_path / "new" / "index"
    empty.mkdir()
    for root in (empty, fresh):
        result = subprocess.run([script("search-index"), "add", str(seed_dir), "--index-dir", str(root)],
                                capture_output=True, text=True, timeout=120, check=False,
                                preexec_fn=lambda: os.umask(0o022))
        assert result.returncode == 0, result.stderr
        assert (root / "NEWSGREP-INDEX").is_file()
        live = root / (root / "CURRENT").read_text().strip()
        assert stat.S_IMODE(live.stat().st_mode) == 0o700
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700  # created by us, whatever the umask
    assert total({"SEARCH_INDEX_DIR": str(fresh)}, "peace") > 0


def test_only_what_the_tool_created_is_cleaned_from_an_index(tmp_path: Path, seed_dir: Path) -> None:
    """A user's files put inside a real index survive add and rebuild; our own leftovers do not."""
    root = tmp_path / "index"
    assert run_script("search-index", "add", str(seed_dir), "--index-dir", str(root)).returncode == 0
    (root / "gen-2-notes").mkdir()
    (root / "gen-2-notes" / "notes.md").write_text("keep\n")
    (root / ".draft.tmp").write_text("keep\n")
    (root / "tmp-build").mkdir()
    (root / "tmp-20200101T000000000000-1").mkdir()  # a killed rebuild's half generation
    (root / ".CURRENT.99.tmp").write_text("gen-x")
    for args in (["add", str(seed_dir)], ["rebuild", str(seed_dir)]):
        assert run_script("search-index", *args, "--index-dir", str(root)).returncode == 0
    assert (root / "gen-2-notes" / "notes.md").read_text() == "keep\n"
    assert (root / ".draft.tmp").read_text() == "keep\n" and (root / "tmp-build").is_dir()
    assert not (root / "tmp-20200101T000000000000-1").exists() and not (root / ".CURRENT.99.tmp").exists()


def test_an_index_of_an_earlier_version_is_adopted(tmp_path: Path, seed_dir: Path) -> None:
    """An index written before directories were marked (CURRENT and our meta.json) is still ours."""
    root = tmp_path / "index"
    assert run_script("search-index", "add", str(seed_dir), "--index-dir", str(root)).returncode == 0
    (root / "NEWSGREP-INDEX").unlink()
    result = run_script("search-index", "add", str(seed_dir), "--index-dir", str(root))
    assert result.returncode == 0, result.stderr
    assert (root / "NEWSGREP-INDEX").is_file()
    meta = json.loads((root / (root / "CURRENT").read_text().strip() / "meta.json").read_text())
    assert meta["tool"] == "newsgrep"


# ---------------------------------------------------------------- pickles

class _System:
    """Unpickling this runs a shell command: what a forged index would do."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def _forge_toc(gen: Path, part: str, command: str) -> None:
    """Rewrite the generation's TOC as Whoosh writes it, with `part` ("schema", "segments" or "legacy")
    replaced by a pickle that runs `command`; meta.json and the marker stay ours in every way."""
    import pickle

    from whoosh import __version__
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import _CURRENT_TOC_VERSION, _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE, TOC

    storage = FileStorage(str(gen))
    toc_file = next(gen.glob("_MAIN_*.toc"))
    generation = int(toc_file.stem.rsplit("_", 1)[1])
    toc = TOC.read(storage, "MAIN", generation)  # our own index, read before it is forged
    hostile = pickle.dumps(_System(command), 2)
    toc_file.unlink()
    stream = storage.create_file(toc_file.name)
    for size in (_INT_SIZE, _LONG_SIZE, _FLOAT_SIZE):
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(-110 if part == "legacy" else _CURRENT_TOC_VERSION)
    for num in __version__[:3]:
        stream.write_varint(num)
    stream.write_string(hostile if part in ("schema", "legacy") else pickle.dumps(toc.schema, 2))
    stream.write_int(generation)
    stream.write_int(0)
    if part == "segments":
        stream.write(hostile)
    else:
        stream.write_pickle(toc.segments)
    stream.close()


@pytest.mark.parametrize("part", ["schema", "segments", "legacy"])
def test_a_forged_index_never_runs_its_pickles(tmp_path: Path, seed_dir: Path, part: str) -> None:
    root, proof = tmp_path / "index", tmp_path / "PWNED"
    env = {"SEARCH_INDEX_DIR": str(root)}
    assert run_script("search-index", "add", str(seed_dir), env=env).returncode == 0
    gen = root / (root / "CURRENT").read_text().strip()
    meta = json.loads((gen / "meta.json").read_text())
    assert meta["tool"] == "newsgrep" and (root / "NEWSGREP-INDEX").is_file()  # all forged as ours
    _forge_toc(gen, part, f"touch {proof}")
    if part != "legacy":  # control: Whoosh on its own runs the command (Whoosh 1.x TOCs it reads otherwise)
        subprocess.run([sys.executable, "-c", "import sys; from whoosh import index; index.open_dir(sys.argv[1])",
                        str(gen)], capture_output=True, timeout=60, check=False)
        assert proof.exists(), "the forged TOC is not a working attack"
        proof.unlink()
    for name, args in (("search", ["peace"]), ("search", ["peace", "--facets", "--json"]),
                       ("search-index", ["stats"]), ("search-index", ["add", str(seed_dir)])):
        result = run_script(name, *args, env=env)
        assert_one_clear_error(result, 3)
        assert not proof.exists(), f"{name} {args} ran the forged pickle"
    result = run_script("search-index", "rebuild", str(seed_dir), env=env)
    assert result.returncode == 0, result.stderr
    assert not proof.exists() and total(env, "peace") > 0


def test_the_restricted_unpickler_refuses_any_other_name(tmp_path: Path) -> None:
    import pickle

    from newsgrep.index import safe_pickle

    proof = tmp_path / "PWNED"
    for data in (pickle.dumps(_System(f"touch {proof}"), 2), pickle.dumps(_System(f"touch {proof}"), 5)):
        with pytest.raises(safe_pickle.UnsafePickle):
            safe_pickle.loads(data)
        with pytest.raises(safe_pickle.UnsafePickle):
            safe_pickle.load(__import__("io").BytesIO(data))
    assert not proof.exists()
    plain = ([3, 1, 4], [1.0, 2.5], None, b"\x00bytes", {"title": "circa icicle"}, frozenset({1}))
    for protocol in (2, 5):
        assert safe_pickle.loads(pickle.dumps(plain, protocol)) == plain


@pytest.mark.parametrize("where", ["ids", "weights", "values", "one weight"])
def test_a_forged_posting_block_never_runs_its_pickle(tmp_path: Path, where: str) -> None:
    """index/postings.py unpickles a block's ids and weights with pickle.loads once their opcodes
    match a data-only grammar: a block hiding a call among them, or after them, must still be refused.
    Forty postings and no values: the whole block lies within the part that is matched."""
    import pickle
    import struct
    import zlib

    from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

    from newsgrep.index import postings, safe_pickle

    proof = tmp_path / "PWNED"
    evil = _System(f"touch {proof}")
    ids, weights = (1,) * 40, tuple(float(n) for n in range(1, 41))
    data = {"ids": (ids[:2] + (evil,) + ids[3:], weights, None),
            "weights": (ids, weights[:1] + (evil,) + weights[2:], None),
            "values": (ids, weights, (b"a",) + (evil,) + (b"b",) * 38),
            "one weight": (ids, evil, None)}[where]

    def posting_list(block: bytes) -> bytes:
        header = pickle.dumps((40, 40, 40.0, 3, 1, 1), 2)  # compressed at level 3, as Whoosh writes blocks
        block = zlib.compress(block, 3)
        return WHOOSH3_HEADER_MAGIC + struct.pack(">i", -(len(header) + len(block))) + header + block

    for with_values in (False, True):
        if where == "values" and not with_values:  # the values are not unpickled at all
            assert postings._decode(posting_list(pickle.dumps(data, 2)), with_values)[0] == list(range(1, 41))
            continue
        with pytest.raises(safe_pickle.UnsafePickle):
            postings._decode(posting_list(pickle.dumps(data, 2)), with_values)
    assert not proof.exists()
    assert postings._decode(posting_list(pickle.dumps((ids, weights, None), 2)), False) == (
        list(range(1, 41)), list(weights), None)


def test_the_schema_we_write_is_one_the_unpickler_reads() -> None:
    """A class added to the schema (an analyzer filter, a field type) must be allowed, or every new
    index would be refused as unsafe."""
    import pickle

    from newsgrep.index import safe_pickle
    from newsgrep.index.schema import build_schema

    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        schema = safe_pickle.loads(pickle.dumps(build_schema(), protocol))
        assert sorted(schema.names()) == sorted(build_schema().names())
        assert [t.text for t in schema["body"].analyzer("Dr\u00e4ger talks")] == ["drager", "talk"]


# ---------------------------------------------------------------- damage or bug

def _raised_by(module: str, filename: str, exc: BaseException) -> BaseException:
    """`exc` raised from code of module `module` compiled from `filename` (where it seems to live)."""
    code = compile("raise exc", filename, "exec")
    try:
        exec(code, {"__name__": module, "exc": exc})
    except BaseException as raised:
        return raised
    raise AssertionError("not raised")


def test_damage_is_decided_by_the_error_and_module_never_by_a_folder_name(tmp_path: Path) -> None:
    import errno
    import struct

    from newsgrep.index.errors import REBUILD_HINT, IndexDamaged, as_index_problem

    checkout = "/home/dev/src/whoosh/newsgrep/index/thing.py"  # our code in a folder named whoosh
    for exc in (ValueError("bug"), KeyError("k"), IndexError("i"), MemoryError(), TypeError("t")):
        assert as_index_problem(tmp_path, _raised_by("newsgrep.index.thing", checkout, exc)) is None
    for exc in (KeyError("k"), IndexError("i")):  # inside Whoosh too: a lookup, not bytes
        assert as_index_problem(tmp_path, _raised_by("whoosh.codec.whoosh3", "/x/whoosh3.py", exc)) is None
    # Decoding garbled bytes: a bad value, or a garbled length that asks for an impossible allocation
    # (tests/test_faults.py garble_segment meets the MemoryError for real).
    for exc in (ValueError("bad"), MemoryError()):
        damaged = as_index_problem(tmp_path, _raised_by("whoosh.columns", "/x/columns.py", exc))
        assert isinstance(damaged, IndexDamaged) and damaged.hint == REBUILD_HINT
    assert isinstance(as_index_problem(tmp_path, struct.error("short")), IndexDamaged)
    denied = as_index_problem(tmp_path, PermissionError(errno.EACCES, "Permission denied"))
    assert denied is not None and "rebuild" not in denied.hint and "permission" in denied.hint


# ---------------------------------------------------------------- unavailable roots

def _two_roots(tmp_path: Path) -> tuple[Path, Path, dict]:
    from conftest import write_corpus

    first, second = tmp_path / "drive-a" / "news", tmp_path / "drive-b" / "news"
    write_corpus(first, 6, "alphacorpus")
    write_corpus(second, 4, "betacorpus")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run_script("search-index", "add", str(first), str(second), env=env).returncode == 0
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (6, 4)
    return first, second, env


def _stats(env: dict) -> dict:
    result = run_script("search-index", "stats", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _unmount(folder: Path, how: str) -> Path:
    """Make `folder` yield no files the way it happens to users; return the path to give."""
    import shutil

    shutil.rmtree(folder)
    if how == "empty mount point":
        folder.mkdir()
    elif how == "dangling symlink":
        target = folder.with_name("moved-away")
        target.mkdir()
        folder.symlink_to(target)  # made while the files were elsewhere; now the target goes
        target.rmdir()
    return folder


@pytest.mark.parametrize("how", ["missing", "empty mount point", "dangling symlink"])
def test_add_keeps_the_articles_of_an_unavailable_root(tmp_path: Path, how: str) -> None:
    first, second, env = _two_roots(tmp_path)
    before = _stats(env)
    _unmount(second, how)
    result = run_script("search-index", "add", str(first), str(second), env=env)
    assert result.returncode == 1, result.stderr
    assert "unavailable" in result.stderr and "search-index remove" in result.stderr
    assert "removed 0" in result.stdout and "Traceback" not in result.stderr
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (6, 4)
    assert _stats(env)["files"] == before["files"] and _stats(env)["roots"] == before["roots"]
    # Asked for explicitly, they go.
    result = run_script("search-index", "add", "--prune", str(second), env=env)
    assert result.returncode == 0, result.stderr
    assert "removed 4" in result.stdout
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (6, 0)
    assert _stats(env)["roots"] == [str(first)]


def test_remove_forgets_a_folder_or_a_file(tmp_path: Path) -> None:
    first, second, env = _two_roots(tmp_path)
    _unmount(second, "missing")
    result = run_script("search-index", "remove", str(second), env=env)
    assert result.returncode == 0, result.stderr
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (6, 0)
    assert _stats(env)["roots"] == [str(first)] and _stats(env)["files"] == 6
    result = run_script("search-index", "remove", str(first / "story00002.txt"), env=env)
    assert result.returncode == 0, result.stderr
    assert total(env, "alphacorpus") == 5 and (first / "story00002.txt").exists()  # the file stays
    result = run_script("search-index", "remove", str(tmp_path / "never-indexed"), env=env)
    assert result.returncode == 1 and "nothing indexed there" in result.stderr
    # A later rebuild from the recorded roots does not bring the forgotten folder back.
    assert run_script("search-index", "rebuild", env=env).returncode == 0
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (6, 0)


@pytest.mark.parametrize("how", ["missing", "empty mount point", "dangling symlink"])
def test_rebuild_never_swaps_in_an_index_missing_an_unavailable_root(tmp_path: Path, how: str) -> None:
    first, second, env = _two_roots(tmp_path)
    (first / "story00000.txt").unlink()  # a real change on the drive that is there
    _unmount(second, how)
    result = run_script("search-index", "rebuild", env=env)
    assert result.returncode == 1, result.stderr
    assert "unavailable" in result.stderr and "Traceback" not in result.stderr
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (5, 4)
    assert total(env, "betacorpus") == 4 and _stats(env)["files"] == 9
    # Only root unavailable: nothing to rebuild from, and the index is unchanged.
    _unmount(first, how if how != "dangling symlink" else "empty mount point")
    result = run_script("search-index", "rebuild", str(first), env=env)
    assert_one_clear_error(result, 3, "unchanged")
    assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (5, 4)


def test_an_unreadable_root_is_kept_by_add_and_rebuild(tmp_path: Path) -> None:
    from conftest import run_unprivileged

    first, second, env = _two_roots(tmp_path)
    for path in (tmp_path / "index", *(tmp_path / "index").rglob("*")):
        path.chmod(0o777 if path.is_dir() else 0o666)  # the unprivileged run still writes the index
    second.chmod(0)
    try:
        for args in (["add", str(first), str(second)], ["rebuild"]):
            result = run_unprivileged("search-index", *args, env=env)
            assert result.returncode == 1, (args, result.stderr)
            assert "Traceback" not in result.stderr
            assert (total(env, "alphacorpus"), total(env, "betacorpus")) == (6, 4), args
    finally:
        second.chmod(0o755)


# ---------------------------------------------------------------- what is indexed is what was hashed

def test_a_file_rewritten_during_add_is_indexed_as_hashed(tmp_path: Path) -> None:
    """Files replaced over and over while `add` runs (same size, the mtime put back, as `cp -p` or
    `rsync -t` leave it): for each, the version whose hash the manifest keeps is the one indexed,
    so the next change is never mistaken for none."""
    import hashlib
    import threading

    from conftest import write_corpus

    from newsgrep.index.store import current_generation, load_manifest

    folder, root = tmp_path / "corpus", tmp_path / "index"
    write_corpus(folder, 260, "plaincorpus")  # enough for the worker pool
    versions = {v: f"Race story {v}\n\nThe version{v * 3} text of this racing story.\n".encode() for v in "ab"}
    racing = [folder / f"race{i:02d}.txt" for i in range(20)]
    stop = threading.Event()

    def rewrite() -> None:
        turn = 0
        while not stop.is_set():
            for path in racing:
                tmp = path.with_suffix(".part")
                tmp.write_bytes(versions["ab"[turn % 2]])
                os.utime(tmp, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
                os.replace(tmp, path)
            turn += 1

    for path in racing:
        path.write_bytes(versions["a"])
    thread = threading.Thread(target=rewrite, daemon=True)
    thread.start()
    try:
        result = run_script("search-index", "add", str(folder), "--index-dir", str(root))
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    manifest = load_manifest(current_generation(root))
    hashed = {v: hashlib.blake2b(data, digest_size=16).hexdigest() for v, data in versions.items()}
    env = {"SEARCH_INDEX_DIR": str(root)}
    indexed = {}
    for v in "ab":
        code, hits, _, err = __import__("conftest").search_json(env, f"version{v * 3}", "-n", "100")
        indexed.update({Path(hit["path"]).name: v for hit in hits})
    for path in racing:
        version = next(v for v, h in hashed.items() if manifest[str(path)][2] == h)
        assert indexed[path.name] == version, (path.name, indexed[path.name], version)


# ---------------------------------------------------------------- killed at every file the commit writes

_KILL_AT_WRITE = '''
import os, signal, sys
k, prefix, seen = int(os.environ["KILL_AT"]), os.environ["KILL_UNDER"], [0]

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if not ((isinstance(mode, str) and any(c in mode for c in "wax+"))
                or (mode is None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))):
            return
    elif event in ("os.rename", "os.remove"):
        path = args[0]
    else:
        return
    if not isinstance(path, (str, bytes, os.PathLike)) or not os.path.abspath(os.fsdecode(path)).startswith(prefix):
        return
    seen[0] += 1
    if k == 0:
        print(event, os.fsdecode(path), file=sys.stderr)
    elif seen[0] == k:
        os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(hook)
sys.argv = ["search-index", *sys.argv[1:]]
from newsgrep.cli.index_cmd import main
main()
'''


def killable_add(tmp_path: Path, corpus: Path, root: Path, change: Callable[[], None]
                 ) -> Callable[[int], subprocess.CompletedProcess]:
    """`add` of `corpus` into `root` as they are now, then a function that puts both back, makes
    `change` and runs `search-index add` killed (SIGKILL) at its `kill_at`-th write under `root`
    (0: not killed, each write listed on stderr)."""
    import shutil

    template = tmp_path / "template"
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    shutil.copytree(corpus, template / "corpus")
    shutil.copytree(root, template / "index")
    hook = tmp_path / "hook.py"
    hook.write_text(_KILL_AT_WRITE)

    def change_and_add(kill_at: int) -> subprocess.CompletedProcess:
        for folder, saved in ((corpus, "corpus"), (root, "index")):
            shutil.rmtree(folder)
            shutil.copytree(template / saved, folder)
        change()
        env = {**os.environ, "KILL_AT": str(kill_at), "KILL_UNDER": str(root)}
        return subprocess.run([sys.executable, str(hook), "add", str(corpus), "--index-dir", str(root)],
                              capture_output=True, text=True, env=env, timeout=120, check=False)

    return change_and_add


def _indexed(root: Path) -> dict[str, list[str]]:
    """path -> the hash of each article the live index holds for it."""
    from newsgrep.index.store import open_index

    found: dict[str, list[str]] = {}
    with open_index(root).reader() as reader:
        for _, stored in reader.iter_docs():
            found.setdefault(stored["path"], []).append(stored["hash"])
    return found


def _agree(root: Path) -> None:
    """The live TOC, its manifest and its roots describe the same files: each once, with one hash."""
    from newsgrep.index.manifest import load_state
    from newsgrep.index.store import current_generation

    state = load_state(current_generation(root))
    assert state.agrees, "the live TOC has no manifest of its own"
    indexed = _indexed(root)
    assert {p: [h[2]] for p, h in state.files.items()} == indexed
    assert state.roots and all(any(p.startswith(r) for r in state.roots) for p in indexed)


def _kill_points(tmp_path: Path, every: bool) -> None:
    import hashlib
    import signal

    corpus, root = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"s{i}.txt").write_text(f"Story {i}\n\nThe first{i} version of story {i}.\n")

    def change() -> None:
        (corpus / "s0.txt").unlink()  # removed
        (corpus / "s1.txt").write_text("Story 1\n\nThe second1 version of story 1, longer.\n")  # updated
        (corpus / "s9.txt").write_text("Story 9\n\nThe newnine story.\n")  # added

    change_and_add = killable_add(tmp_path, corpus, root, change)

    listing = change_and_add(0)
    assert listing.returncode == 0, listing.stderr
    writes = listing.stderr.splitlines()
    commit_files = ("manifest-", "words.tsv", ".seg", ".toc", "facets-")
    points = [k for k, line in enumerate(writes, 1) if every or any(name in line for name in commit_files)]
    assert len(points) >= 8, writes
    for k in points:
        result = change_and_add(k)
        assert result.returncode == -signal.SIGKILL, (k, writes[k - 1], result.stderr)
        _agree(root)  # whatever the moment, the index, its manifest and its roots agree
        result = run_script("search-index", "add", str(corpus), "--index-dir", str(root))
        assert result.returncode == 0, (k, writes[k - 1], result.stderr)
        _agree(root)
        expected = {str(p): [hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()]
                    for p in corpus.iterdir()}
        assert _indexed(root) == expected, (k, writes[k - 1])  # no ghost of s0, s1 as it is now
        leftovers = [p.name for p in root.rglob("*") if p.name.endswith(".tmp") or ".toc." in p.name]
        assert leftovers == [], (k, writes[k - 1], leftovers)


def test_killed_while_committing_the_index_manifest_and_roots_agree(tmp_path: Path) -> None:
    """SIGKILL at each write of the manifest, the word list, the segment, the TOC and the facet tables."""
    _kill_points(tmp_path, every=False)


@pytest.mark.slow
def test_killed_at_every_file_an_add_writes(tmp_path: Path) -> None:
    _kill_points(tmp_path, every=True)


# ---------------------------------------------------------------- smaller faults

def test_permission_errors_do_not_advise_a_rebuild(seed_dir: Path, tmp_path: Path) -> None:
    from conftest import run_unprivileged

    root = tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    assert run_script("search-index", "add", str(seed_dir), env=env).returncode == 0
    gen = root / (root / "CURRENT").read_text().strip()
    for locked in (gen / "meta.json", next(gen.glob("*.seg")), gen):
        locked.chmod(0)
        try:
            for name, args in (("search", ["peace"]), ("search-index", ["stats"])):
                result = run_unprivileged(name, *args, env=env)
                assert_one_clear_error(result, 3, "permission")
                assert "rebuild" not in result.stderr, (locked.name, result.stderr)
        finally:
            locked.chmod(0o700 if locked.is_dir() else 0o600)
    assert total(env, "peace") > 0


@pytest.mark.parametrize("meta", [
    {"roots": "notalist", "created": [1, 2]},
    {"roots": [1, None], "created": {"x": 1}},
    {"schema_version": "3"},
    {"tool": ["newsgrep"]},
    "not an object",
])
def test_meta_json_of_the_wrong_shape_is_one_clear_line(seed_dir: Path, tmp_path: Path, meta) -> None:
    root = tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    assert run_script("search-index", "add", str(seed_dir), env=env).returncode == 0
    gen = root / (root / "CURRENT").read_text().strip()
    good = json.loads((gen / "meta.json").read_text())
    (gen / "meta.json").write_text(json.dumps({**good, **meta} if isinstance(meta, dict) else meta))
    usable = isinstance(meta, dict) and "roots" in meta  # the roots live with the manifest now
    for name, args in (("search", ["peace"]), ("search-index", ["stats"])):
        result = run_script(name, *args, env=env)
        if usable:
            assert result.returncode == 0, (args, result.stderr)
            assert "otalist" not in result.stdout  # never taken for paths
        else:
            assert_one_clear_error(result, 3, "rebuild")
    # The advertised recovery works from the recorded roots, which are never read letter by letter.
    result = run_script("search-index", "rebuild", env=env)
    assert result.returncode == 0, result.stderr
    assert _stats(env)["roots"] == [str(seed_dir)] and total(env, "peace") > 0


def test_a_deleted_word_list_is_restored_by_add(seed_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    assert run_script("search-index", "add", str(seed_dir), env=env).returncode == 0
    gen = root / (root / "CURRENT").read_text().strip()
    before = (gen / "words.tsv").read_text()
    (gen / "words.tsv").unlink()
    assert "did you mean" not in run_script("search", "peece", "tolks", env=env).stdout
    result = run_script("search-index", "add", str(seed_dir), env=env)
    assert result.returncode == 0 and "unchanged 5" in result.stdout, result.stderr
    assert (gen / "words.tsv").read_text() == before
    assert "did you mean: peace talks" in run_script("search", "peece", "tolks", env=env).stdout
