"""Query parsing, filters, facets, snippets and results over the index built by `index`."""
