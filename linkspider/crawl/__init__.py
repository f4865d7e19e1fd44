"""Fetching (the second stage): the spiders, the Scrapy components around them (SSRF guard, robots.txt, limits, traps, checkpoints), rendering, extraction workers, distributed crawling."""
