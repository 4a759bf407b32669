"""The registry's seed data: reviewed fixtures extracted from the source documents.

``read.read_fixtures()`` parses and merges the files (``fixtures/``), ``check.check()`` lists
what is wrong with them (a quote that is not in its document, a reference to nothing, a
record without a quote) and ``load.SeedLoader`` writes them: it creates what is missing,
matched by natural key, and leaves existing records alone unless asked to ``update`` them.
"""
