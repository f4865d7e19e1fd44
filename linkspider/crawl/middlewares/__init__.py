"""linkspider's downloader middlewares (wired in ``linkspider/settings.py``).

- ``ssrf.SSRFGuardMiddleware``: never fetch private, loopback, link-local or
  cloud-metadata addresses found in prospect URLs (or redirects to them);
  ``ssrf.GuardedResolver`` checks the address each connection really uses.
- ``robots.RobotsPolicyMiddleware``: robots.txt per origin as RFC 9309 says,
  and Crawl-delay.
- ``limits.NonHtmlStopMiddleware``: stop downloading a body that is not HTML as
  soon as its headers say so.
- ``limits.SiteRequestCapMiddleware``: a hard per-site request cap, a safety net
  under the site walk's own ``SITE_PAGE_BUDGET``.

The spider middleware is the checkpoint's (``linkspider/crawl/checkpoint.py``).
"""
