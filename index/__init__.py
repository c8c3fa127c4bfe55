"""Reading, cleaning, entity extraction, schema and writing of the news index.

Nothing here imports from `search` or `cli`: dependencies flow cli -> search -> index.
"""
