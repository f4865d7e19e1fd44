"""Keeping what was found (the fifth stage) and handing it out: the SQLite database (the only SQL), the item pipeline, ingest of distributed crawls, exports and digests."""
