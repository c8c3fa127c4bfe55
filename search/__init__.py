"""Query parsing, filters, facets, snippets and results over the index built by `index`."""

import newsgrep.index  # noqa: F401 - first, so its import-time set-up runs before any Whoosh import here
