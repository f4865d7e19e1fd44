"""linkspider's spiders; the site walk they share lives in ``sitewalk``."""
