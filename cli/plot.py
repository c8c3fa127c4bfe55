"""`search --plot FILE`: the timeline as an SVG or PNG image, through matplotlib (the [plot] extra).

Imported only when --plot is given: matplotlib takes longer to import than a whole search.
"""

from __future__ import annotations


def draw(timelines: list, names: list[str], path: str) -> None:
    """One line per series over the shared periods; shares in percent when normalised."""
    import matplotlib

    matplotlib.use("Agg")  # files only: never a window, never a display needed
    import matplotlib.pyplot as plt

    first = timelines[0]
    labels = [p.period for p in first.periods]
    fig, ax = plt.subplots(figsize=(max(6.0, min(16.0, 0.25 * len(labels) + 3)), 4.0))
    for name, timeline in zip(names, timelines, strict=True):
        values = [100 * p.share if first.normalized else p.count for p in timeline.periods]
        if len(timelines) == 1:
            ax.bar(range(len(labels)), values, label=name)
        else:
            ax.plot(range(len(labels)), values, marker="o", markersize=3, label=name)
    step = max(1, len(labels) // 20)
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("% of all indexed articles" if first.normalized else "matching articles")
    ax.set_title(f"Matching articles per {first.interval}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
