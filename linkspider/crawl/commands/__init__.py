"""linkspider's Scrapy commands (``COMMANDS_MODULE``)."""
