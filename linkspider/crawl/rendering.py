"""Pages that need JavaScript: which ones, and the browser that renders them.

A browser page costs a hundred times a plain fetch (FIELD-NOTES: 100-280 ms
and hundreds of MB), so linkspider renders a page only when its static HTML
shows it needs it *and* it is worth it:

- needs it: an empty app root (``<div id="app"></div>`` and almost no text),
  a ``<noscript>`` asking for JavaScript, an inline email obfuscator script,
  or a contact / write-for-us page with no email and no form in its static
  HTML but inline code that writes the page (``innerHTML``,
  ``appendChild``...); an analytics tag alone is no reason;
- worth it: contact-ish pages (contact, about, write-for-us, advertise) and
  home pages that show no links to follow. A deep blog post rendered by a
  script is left alone.

``RenderAddon`` (in ``ADDONS``) switches scrapy-playwright's download handler
on when ``RENDER`` is not ``never`` and a browser is found: Playwright's own
Chromium if installed, else ``LINKSPIDER_BROWSER`` or a system Chromium
(``/usr/bin/chromium``: ``playwright install`` cannot download everywhere).
No browser: rendering is off, with one warning, and the crawl goes on.
Only requests with ``meta["playwright"]`` use the browser; the rest take
Scrapy's normal HTTP path. Images, fonts and media are never loaded.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

RENDER_MODES = ("auto", "always", "never")
SYSTEM_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                   "/usr/bin/google-chrome-stable")
# Chromium flags for a headless crawler box (FIELD-NOTES): no sandbox as root,
# no GPU, no background traffic to Google.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})

_APP_ROOT = re.compile(r"<div[^>]+id=[\"'](app|root|__next|__nuxt|svelte|main-app)[\"'][^>]*>\s*</div>", re.I)
_NOSCRIPT = re.compile(r"<noscript[^>]*>[^<]{0,400}(javascript|enable js)", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
_OBFUSCATOR = re.compile(r"fromCharCode|\.reverse\(\)|atob\(|unescape\(|decodeURIComponent\(|\\x40|&#64;|'@'|\"@\"")
# Inline code that writes the page: what a contact page filled in by JavaScript carries.
_DOM_WRITE = re.compile(r"innerHTML|outerHTML|document\.write|appendChild|insertAdjacentHTML|createElement|"
                        r"textContent\s*=|innerText\s*=|\.render\(|hydrate", re.I)
_TEXT = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)
CONTACTISH = frozenset({"contact", "about", "write_for_us", "advertise"})


def find_browser(configured: str | None = None) -> str | None:
    """Path of a Chromium to render with, or None.

    ``configured`` (``LINKSPIDER_BROWSER``) wins; then Playwright's own
    download (``~/.cache/ms-playwright``); then a system Chromium.
    """
    if configured:
        path = shutil.which(configured) or configured
        return path if os.access(path, os.X_OK) else None
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    for pattern in ("chromium_headless_shell-*/chrome-*/headless_shell", "chromium-*/chrome-linux*/chrome"):
        found = sorted(glob.glob(str(cache / pattern)))
        if found and os.access(found[-1], os.X_OK):
            return found[-1]
    for path in SYSTEM_BROWSERS:
        if os.access(path, os.X_OK):
            return path
    return None


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: never load images, fonts or media."""
    return request.resource_type in BLOCKED_RESOURCES


def visible_text_length(html: str) -> int:
    return len(" ".join(_TEXT.sub(" ", html).split()))


def needs_render(html: str, facts: dict[str, Any] | None = None) -> str | None:
    """Why the static HTML says this page needs JavaScript (a short reason), or None."""
    if not html:
        return None
    scripts = _SCRIPT.findall(html)
    if not scripts:
        return None
    if _APP_ROOT.search(html) and visible_text_length(html) < 400:
        return "empty_app_root"
    if _NOSCRIPT.search(html) and visible_text_length(html) < 600:
        return "noscript"
    facts = facts or {}
    inline = [s for s in scripts if s.strip() and not s.lstrip().startswith(("{", "["))]  # not JSON-LD
    if not facts.get("emails"):
        if any("mailto" in s.lower() or "@" in s for s in inline if _OBFUSCATOR.search(s)):
            return "email_script"
        contact_page = facts.get("is_contact_page") or facts.get("is_write_for_us")
        if contact_page and not facts.get("contact_form") and any(_DOM_WRITE.search(s) for s in inline):
            return "contact_without_contact"
    return None


def writes_page(html: str) -> bool:
    """Inline code that writes the page (``innerHTML``, ``appendChild``...), as a page whose
    links a script inserts carries (JSON-LD blocks do not count)."""
    return any(_DOM_WRITE.search(s) for s in _SCRIPT.findall(html or "")
               if s.strip() and not s.lstrip().startswith(("{", "[")))


def worth_rendering(*, is_home: bool, link_kind: str, facts: dict[str, Any] | None,
                    internal_links: int) -> bool:
    """Rendering costs: only contact-ish pages, and home pages that show nothing to follow."""
    facts = facts or {}
    if link_kind in CONTACTISH or facts.get("is_contact_page") or facts.get("is_about_page") \
            or facts.get("is_write_for_us"):
        return True
    return is_home and internal_links < 3


def browser_abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST for rendering: what rendering already blocks (images, fonts,
    media) plus any sub-request of a rendered page to a private, loopback or metadata
    address or local name (IP literals and names only: the browser resolves names itself)."""
    if abort_request(request):
        return True
    url = str(getattr(request, "url", "") or "")
    if url.startswith(("data:", "blob:", "about:")):
        return False
    from linkspider.crawl.middlewares.ssrf import static_refusal

    refusal = static_refusal(url)
    if refusal is not None:
        logger.info("browser: aborted %s: %s", url[:120], refusal.detail)
        return True
    return False


def start_browser_proxy(settings: Any) -> int | None:
    """Port of a ``BrowserProxy`` listening for this crawl's browser, or None outside a running crawl
    (no reactor installed yet: nothing is started then, so a unit test never installs one)."""
    import sys

    if "twisted.internet.reactor" not in sys.modules:
        return None
    from linkspider.crawl.browser_proxy import BrowserProxy
    from linkspider.crawl.middlewares.ssrf import HostRules

    return BrowserProxy(HostRules(settings.getlist("LINKSPIDER_ALLOWED_HOSTS"))).start()


class RenderAddon:
    """Scrapy add-on: turns scrapy-playwright on for on-demand rendering when a browser exists.

    Settings read: RENDER (auto|always|never), LINKSPIDER_BROWSER, and the
    proxy from ``http_proxy`` so the browser reaches the same web as Scrapy.
    Sets LINKSPIDER_RENDER_ACTIVE and LINKSPIDER_RENDER_PROBLEM for the spiders.
    """

    def update_settings(self, settings: Any) -> None:
        mode = str(settings.get("RENDER") or "auto").strip().lower()
        if mode not in RENDER_MODES:
            settings.set("LINKSPIDER_RENDER_PROBLEM", f"RENDER={mode!r} is not one of {', '.join(RENDER_MODES)}",
                         priority="addon")
            mode = "never"
        browser = find_browser(settings.get("LINKSPIDER_BROWSER") or os.environ.get("LINKSPIDER_BROWSER"))
        if mode == "never":
            settings.set("LINKSPIDER_RENDER_ACTIVE", False, priority="addon")
            return
        if browser is None:
            where = settings.get("LINKSPIDER_BROWSER") or os.environ.get("LINKSPIDER_BROWSER")
            settings.set("LINKSPIDER_RENDER_ACTIVE", False, priority="addon")
            settings.set("LINKSPIDER_RENDER_PROBLEM",
                         f"no browser at {where}" if where else
                         "no browser found (install Debian's chromium, run `playwright install chromium`, "
                         "or set LINKSPIDER_BROWSER)", priority="addon")
            return
        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", {**settings.getdict("DOWNLOAD_HANDLERS"),
                                           "http": handler, "https": handler}, priority="addon")
        launch: dict[str, Any] = {"headless": True, "args": CHROMIUM_ARGS, "executable_path": browser}
        launch.update(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
        proxy = os.environ.get("http_proxy") or os.environ.get("HTTP_PROXY")
        if proxy and "proxy" not in launch:
            launch["proxy"] = {"server": proxy}
        elif "proxy" not in launch and not settings.getbool("LINKSPIDER_ALLOW_PRIVATE"):
            port = start_browser_proxy(settings)
            if port:  # Chromium's own connections go through the crawl's SSRF checks (linkspider/crawl/browser_proxy.py)
                launch["proxy"] = {"server": f"http://127.0.0.1:{port}"}
        # The merged options must win over the user's own (-s PLAYWRIGHT_LAUNCH_OPTIONS=...), which they include.
        from scrapy.settings import SETTINGS_PRIORITIES

        priority = max(settings.getpriority("PLAYWRIGHT_LAUNCH_OPTIONS") or 0, SETTINGS_PRIORITIES["addon"])
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority=priority)
        settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="addon")
        # Images, fonts and media never load; nor does anything the page itself asks of
        # a private or metadata address (the browser's own requests skip Scrapy's SSRF guard).
        settings.set("PLAYWRIGHT_ABORT_REQUEST", "linkspider.crawl.rendering.browser_abort_request",
                     priority="addon")
        settings.set("LINKSPIDER_RENDER_ACTIVE", True, priority="addon")
        settings.set("LINKSPIDER_BROWSER_PATH", browser, priority="addon")
