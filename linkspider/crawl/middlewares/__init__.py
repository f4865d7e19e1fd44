"""linkspider's downloader and spider middlewares (wired in ``linkspider/settings.py``).

- ``ssrf.SSRFGuardMiddleware``: never fetch private, loopback, link-local or
  cloud-metadata addresses found in prospect URLs (or redirects to them).
- ``limits.NonHtmlStopMiddleware``: stop downloading a body that is not HTML as
  soon as its headers say so.
- ``limits.SiteRequestCapMiddleware``: a hard per-site request cap, a safety net
  under the site walk's own ``SITE_PAGE_BUDGET``.
- ``limits.TrapFilterMiddleware``: drops links to crawler traps (see
  ``linkspider.crawl.traps``) and to files by extension.
"""
