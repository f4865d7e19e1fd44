"""Judging a site (the fourth stage): niche relevance (BM25) and the prospect score with its reasons."""
