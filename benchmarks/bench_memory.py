"""Peak memory of `search-index add` for one hostile file up to the size limit (issue #12.11).

Writes, in a scratch folder: 15 MB of random words as one text article; a 16 MB HTML page of a
million small elements; a 15 MB HTML page of 87,000 long paragraphs. Each is added to a fresh index
by the installed `search-index` in its own process tree, and the peak RSS of that tree's largest
process is read from the kernel (getrusage of the waited-for children). Target: under 400 MB each.
A baseline in the same run: `search-index add` of the five seed articles.

Usage: python benchmarks/bench_memory.py
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_MB = 400
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PEAK = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def random_words(rng: random.Random, size: int, per_line: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    lines, total = [], 0
    while total < size:
        line = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(per_line))
        lines.append(line)
        total += len(line) + 1
    return lines


def write_files(base: Path) -> dict[str, Path]:
    rng = random.Random(1211)
    files = {}
    for name, content in (
        ("15 MB of random words (.txt)", "Random words\n\n" + "\n".join(random_words(rng, 15_000_000, 12))),
        ("16 MB of small elements (.html)", "<html><body>" + "".join(f"<p><b>w{i}</b></p>"
                                                                     for i in range(900_000)) + "</body></html>"),
        ("15 MB of long paragraphs (.html)", "<html><body><article>" + "".join(
            f"<p>{line}.</p>" for line in random_words(rng, 15_000_000, 50)) + "</article></body></html>"),
    ):
        folder = base / f"case{len(files)}"
        folder.mkdir()
        path = folder / ("article.txt" if ".txt" in name else "page.html")
        path.write_text(content, encoding="utf-8")
        files[name] = folder
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    files["baseline: the five seeds"] = seeds
    return files


def peak_mb(folder: Path, index: Path) -> tuple[float, int]:
    exe = str(Path(sys.executable).with_name("search-index"))
    out = subprocess.run([sys.executable, "-c", PEAK, exe, "add", str(folder), "--index-dir", str(index)],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) / 1024, int(out[1])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
        base = Path(scratch)
        results = {name: peak_mb(folder, base / f"index{i}")
                   for i, (name, folder) in enumerate(write_files(base).items())}
    baseline = results.pop("baseline: the five seeds")[0]
    print(f"{'file':36} {'peak RSS':>9} {'vs seeds':>9}  exit")
    print(f"{'baseline: the five seeds':36} {baseline:7.0f} MB {1.0:8.1f}x")
    worst = 0.0
    for name, (mb, code) in results.items():
        worst = max(worst, mb)
        print(f"{name:36} {mb:7.0f} MB {mb / baseline:8.1f}x  {code}")
    print(f"{'PASS' if worst < TARGET_MB else 'FAIL'}: the largest peak is {worst:.0f} MB (target < {TARGET_MB} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
