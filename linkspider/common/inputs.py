"""What a person hands linkspider: text files in any encoding, and site URLs checked one by one.

Seed lists, ``mark --csv`` spreadsheets, ``dnc add @file`` lists and backlink
exports come from editors, spreadsheets and SEO tools: UTF-8 with or without
a byte-order mark, UTF-16 (Excel's "Unicode text", Ahrefs), cp1252. Each is
read here, so a BOM never costs the first line and a wrong file — a folder,
``/dev/null``, a PDF — is named for what it is instead of failing further on.

Every URL typed or exported by a person goes through :func:`clean_authority`:
``user:password@`` is removed before anything can store or log it, and an
impossible port or a host name with characters no host name has is a reason
to skip that one line, never the whole list.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from pathlib import Path
from urllib.parse import SplitResult


class InputError(ValueError):
    """A file or value the user gave that linkspider cannot use; the message says which and why."""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def check_file(path: str | Path, what: str) -> Path:
    """The path, if it names something readable as a file; else InputError naming what it is.

    Pipes are allowed (``@<(grep ... list.txt)``); directories and devices are
    not: ``/dev/null`` would read as an empty list and hide the mistake.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{what} {path} not found") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    for test, kind in _KINDS:
        if test(mode):
            raise InputError(f"{what} {path} is {kind}, not a file")
    return path


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding): BOMs first, then UTF-16 without BOM, UTF-8, cp1252. The BOM is dropped."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace"), "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace"), "utf-16-be"
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # UTF-16 without BOM: ASCII text has its zero bytes all on one side.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        encoding = "utf-16-be" if even > odd else "utf-16-le"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


# Control, private-use, unassigned and surrogate code points: what binary data decodes to.
_ODD_CATEGORIES = {"Cc", "Co", "Cn", "Cs"}


def looks_binary(text: str) -> bool:
    """Decoded text that no editor or spreadsheet wrote: NULs, or more than 1 in 100 characters
    are control, unassigned or undecodable ones (a PDF, an image, a database file)."""
    sample = text[:8000]
    if "\x00" in sample:
        return True
    odd = sum(1 for ch in sample if ch == "\ufffd"
              or (ch not in "\t\n\r\f\v" and unicodedata.category(ch) in _ODD_CATEGORIES))
    return odd > max(2, len(sample) // 100)


def read_text(path: str | Path, what: str) -> str:
    """A text file the user gave (``what`` names it in messages: "seed list"), decoded, BOM dropped.

    Raises InputError when it is missing, unreadable, a directory or device, or binary.
    """
    path = check_file(path, what)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    text, _ = decode_text(data)
    if looks_binary(text):
        raise InputError(f"{what} {path} is not a text file (it holds binary data)")
    return text


# A host name as DNS spells it (after IDNA): labels of letters, digits, '-' and '_'
# (seen in real subdomains), no label starting or ending with '-'.
_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_HOST_RE = re.compile(rf"{_LABEL}(\.{_LABEL})*\.?")


def clean_authority(parts: SplitResult) -> tuple[str, str]:
    """A split URL's netloc without ``user:password@``, or ``("", why)`` when the host or port is impossible.

    The host is lower-cased; an IPv6 literal keeps its brackets; a port is
    kept when it is a real one (1-65535).
    """
    try:
        port = parts.port
    except ValueError:
        return "", f"impossible port {parts.netloc.rpartition(':')[2]!r}"
    if port == 0:
        return "", "impossible port '0'"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "", "no host name"
    if ":" in host:  # IPv6 literal: urlsplit checked it
        netloc = f"[{host}]"
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return "", f"invalid host name {host!r}"
        if not _HOST_RE.fullmatch(ascii_host):
            return "", f"invalid host name {host!r}"
        netloc = host
    return netloc + (f":{port}" if port is not None else ""), ""


_USERINFO_RE = re.compile(r"(//)[^/@\s]*@")


def hide_userinfo(text: str) -> str:
    """``http://user:pass@host/`` -> ``http://***@host/``: for echoing a rejected line in a message."""
    return _USERINFO_RE.sub(r"\1***@", text)
