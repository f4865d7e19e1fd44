"""Secrets never leave the machine and are never stored: the one redaction linkspider applies.

A link builder's API keys and passwords travel in URLs and headers that
linkspider also logs, checkpoints and stores. :func:`redact` is the single
function that takes them out of any text, and it is applied where text leaves
the process: every log record of a linkspider process
(:func:`install_log_redaction`), every URL and message the store writes, the
checkpoint's request records, the job logs ``linkspider nightly`` writes and
the commands' error messages.

What counts as a secret:

- a password in a URL (``redis://:PASSWORD@host``, ``http://user:PASSWORD@proxy``);
  a user part without a password (``https://TOKEN@host``) is taken for a token;
- the value of a query parameter that carries a key or token (``key=``,
  ``api_key=``, ``token=``, ``access_token=``, ``password=`` ...);
- the value of a header that carries one (``X-Subscription-Token``,
  ``Authorization``, ``Proxy-Authorization``) when headers are written out as text;
- every value registered with :func:`register_secret` (the search backends'
  keys, SearXNG's password) and of every environment variable named like a
  secret (``*_KEY``, ``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD``), wherever it appears.

Google's ``cx`` (``GOOGLE_CSE_ID``) is not a secret: it names a search engine,
every page that embeds that engine publishes it, and it is useless without the
key. Log lines keep it, so "check GOOGLE_CSE_ID" can be checked.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

REDACTED = "REDACTED"

# scheme://USERINFO@ : the userinfo may not hold '/', '?', '#', '@' or blanks.
_USERINFO_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/?#@'\"<>]+)@")
_SECRET_PARAMS_RE = re.compile(
    r"(?i)([?&;](?:key|api[_-]?key|(?:access|auth|refresh|subscription)?_?token|password|passwd|"
    r"(?:client_)?secret)=)[^&#\s'\"<>]*")
# "X-Subscription-Token: v", "'Authorization': 'Basic v'", "{b'X-Subscription-Token': [b'v']}".
_SECRET_HEADERS_RE = re.compile(
    r"(?i)\b((?:x-subscription-token|proxy-authorization|authorization|x-api-key)['\"]?\s*[:=]\s*"
    r"(?:\[\s*)?(?:b?['\"])?(?:(?:basic|bearer|token)\s+)?)[^'\"\s,\]]+")
# Setting and environment variable names whose values are secrets.
_SECRET_NAME_RE = re.compile(r"(?i)(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?)$")
# Shorter registered values are left to the patterns above: replacing a
# six-letter password everywhere would mangle ordinary words in the logs.
_MIN_SECRET = 8

_known: tuple[str, ...] = ()  # longest first, so a secret containing another goes whole


def register_secret(value: Any) -> None:
    """Redact ``value`` wherever it appears from now on (a key a backend loaded, a password)."""
    global _known
    text = str(value or "").strip()
    if len(text) >= _MIN_SECRET and text not in _known:
        _known = tuple(sorted((*_known, text), key=len, reverse=True))


def is_secret_name(name: str) -> bool:
    """Whether a setting or environment variable of this name holds a secret (``BRAVE_API_KEY``...)."""
    return bool(_SECRET_NAME_RE.search(name))


def _userinfo(match: re.Match[str]) -> str:
    user, colon, _ = match[2].partition(":")
    return f"{match[1]}{user}:{REDACTED}@" if colon else f"{match[1]}{REDACTED}@"


def redact(text: Any) -> str:
    """``text`` with every secret replaced by ``REDACTED`` (see the module docstring for what counts)."""
    if not text:
        return "" if text is None else str(text)
    text = str(text)
    # Cheap tests first: this runs for every log record and every stored URL.
    if "@" in text:
        text = _USERINFO_RE.sub(_userinfo, text)
    if "=" in text:
        text = _SECRET_PARAMS_RE.sub(rf"\1{REDACTED}", text)
    lowered = text.lower()
    if "token" in lowered or "authorization" in lowered or "api-key" in lowered:
        text = _SECRET_HEADERS_RE.sub(rf"\1{REDACTED}", text)
    for secret in _known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_setting(name: str, value: Any) -> str:
    """A setting's value as it may be shown: all of it hidden for secret names, else redacted."""
    return REDACTED if is_secret_name(name) and value not in (None, "") else redact(value)


# ---------------------------------------------------------------- logging
_formatter = logging.Formatter()
_installed = False


def _written(record: logging.LogRecord) -> bool:
    """Whether a handler will write the record: the others (Scrapy's per-item DEBUG lines at LOG_LEVEL
    INFO) are left alone, not formatted for nothing."""
    logger: logging.Logger | None = logging.getLogger(record.name) if record.name != "root" else logging.root
    found = False
    while logger is not None:
        for handler in logger.handlers:
            found = True
            if record.levelno >= handler.level:
                return True
        if not logger.propagate:
            break
        logger = logger.parent
    return not found and logging.lastResort is not None and record.levelno >= logging.lastResort.level


def _scrub(record: logging.LogRecord) -> None:
    if not _written(record):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: logging reports it when the record is emitted
        return
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        try:
            record.exc_text = redact(_formatter.formatException(record.exc_info))
        except Exception:  # the handler's formatter will try again and say what is wrong
            pass
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_log_redaction() -> None:
    """Redact every log record this process makes, whichever handler writes it.

    A record factory rather than a handler filter: Scrapy replaces its root
    handler while a crawler starts (and again for each crawler), which drops
    any filter attached to it, and the first lines about the request queue
    (a Redis URL, say) come before a spider could attach one. Also registers
    the values of secret-named environment variables (``BRAVE_API_KEY``...).
    Idempotent; called by every linkspider entry point (spiders, the CLI).
    """
    global _installed
    for name, value in os.environ.items():
        if is_secret_name(name):
            register_secret(value)
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _scrub(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
