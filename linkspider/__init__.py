"""linkspider: an open-source link-prospecting crawler built on Scrapy."""

__version__ = "0.1.0"
