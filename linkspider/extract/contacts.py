"""Contact routes: is this the site's contact page, and does it carry a contact form?

A *contact form* is a form a stranger can use to write to the site: it has a
free-text message field and a way to identify the sender (email or name). That
rules out the forms every page carries that are not contact routes: search
boxes, newsletter sign-ups (email but no message), logins, and — the usual
false positive — the WordPress comment form under every blog post (message +
email + name, but it publishes a comment, it does not reach the editor).

The common WordPress form plugins are recognised by their markup (Contact Form 7
``wpcf7``, WPForms, Gravity Forms ``gform``, Ninja Forms ``nf-form``,
Formidable ``frm_forms``, Fluent Forms, Elementor, Jetpack ``contact-form``,
Forminator, Caldera, Everest), including Ninja Forms' JavaScript-rendered
container that has no fields in the HTML at all.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .html import Page, clean_text

_XP_FORMS = etree.XPath("//form")
_XP_FIELDS = etree.XPath(".//input|.//textarea|.//select")
_XP_JS_FORM_CONTAINERS = etree.XPath(
    "//div[contains(@class,'nf-form-cont') or contains(@class,'forminator-custom-form')"
    " or contains(@class,'hbspt-form') or contains(@class,'fluentform')]"
)
_XP_FORM_IFRAMES = etree.XPath("//iframe[@src]")

_PLUGIN_MARKERS = (
    "wpcf7", "wpforms", "gform", "nf-form", "frm_form", "frm-show-form", "fluentform", "ff-el",
    "elementor-form", "contact-form", "contactform", "contact_form", "forminator", "caldera",
    "everest-form", "evf-", "hs-form", "hbspt", "kontaktformular", "formulario-contacto",
)
_MESSAGE_NAME = re.compile(
    r"message|msg|your-message|body|enquiry|inquiry|question|nachricht|mensaje|comentario|"
    r"commentaire|details|description|textarea|anliegen|votre-message|tu-mensaje",
    re.I,
)
_EMAIL_NAME = re.compile(r"e-?mail|correo|courriel|from", re.I)
_NAME_NAME = re.compile(r"name|nombre|nom\b|vorname|nachname|your-name|full_?name|first_?name", re.I)
_NEGATIVE_FORM = re.compile(
    r"commentform|comment-form|wp-comments-post|respond|search|searchform|login|signin|sign-in|"
    r"register|signup|newsletter|subscribe|mc4wp|mailchimp|mc-embedded|checkout|cart|coupon|"
    r"reply-form|review",
    re.I,
)
_FORM_IFRAME_HOSTS = re.compile(
    r"docs\.google\.com/forms|forms\.gle|typeform\.com|jotform\.com|tally\.so|formstack\.com|"
    r"cognitoforms\.com|hsforms\.(?:com|net)|123formbuilder\.com|wufoo\.com|airtable\.com/embed",
    re.I,
)

# Page names of contact pages in title segments, h1 and URL slugs.
_CONTACT_NAME = re.compile(
    r"^(?:contact(?:\s+(?:us|me|the\s+\w+|information|info|page|form|details))?|get\s+in\s+touch|"
    r"talk\s+to\s+us|reach\s+us|say\s+hello|drop\s+us\s+a\s+line|write\s+to\s+us|"
    r"kontakt(?:formular|ieren\s+sie\s+uns)?|kontaktieren|contacto|cont[aá]ctanos|cont[aá]ctenos|"
    r"nous\s+contacter|contactez[-\s]nous|contact(?:ez)?[-\s]moi)$",
    re.I,
)
_CONTACT_SLUG = re.compile(
    r"^(?:contact|contact-us|contactus|contact-me|get-in-touch|kontakt|kontaktformular|contacto|"
    r"contactanos|contactenos|nous-contacter|contactez-nous|contact\.html?|contact\.php|kontakt\.html?)$",
    re.I,
)
_SEGMENT_SPLIT = re.compile(r"\s+[|\-–—:·»/]\s+|\s*[|·»]\s*")


def title_segments(title: str) -> list[str]:
    """``"Contact Us | Fitness Blog"`` -> ``["Contact Us", "Fitness Blog"]``."""
    return [s.strip(" .!?") for s in _SEGMENT_SPLIT.split(title or "") if s.strip(" .!?")]


def path_slugs(path: str) -> list[str]:
    """Non-empty path segments, lower-cased, without trailing extensions of index files."""
    return [s for s in path.lower().split("/") if s]


def _field_key(el: Any) -> str:
    return " ".join(
        filter(None, (el.get("name"), el.get("id"), el.get("placeholder"), el.get("aria-label"), el.get("class")))
    )


def _form_is_contact(form: Any) -> bool:
    ident = " ".join(filter(None, (form.get("id"), form.get("class"), form.get("action"), form.get("name"), form.get("role"))))
    if _NEGATIVE_FORM.search(ident):
        # Comment forms and newsletters sometimes reuse plugin classes; the
        # identity of the form wins over the plugin marker.
        if not any(m in ident.lower() for m in ("wpcf7", "wpforms", "gform", "contact")):
            return False
    has_message = has_email = has_name = False
    for el in _XP_FIELDS(form):
        tag = str(el.tag).lower()
        key = _field_key(el)
        if tag == "textarea":
            if re.search(r"\bcomment\b", el.get("name") or "", re.I) and "wp-comments" in ident:
                return False
            has_message = True
            continue
        typ = (el.get("type") or "text").lower()
        if typ in {"hidden", "submit", "button", "checkbox", "radio", "image", "reset", "file", "password"}:
            if typ == "password":
                return False
            continue
        if typ == "email" or _EMAIL_NAME.search(key):
            has_email = True
        elif _MESSAGE_NAME.search(key):
            has_message = True
        elif _NAME_NAME.search(key):
            has_name = True
    return has_message and (has_email or has_name)


def detect_contact_form(page: Page) -> tuple[bool, str]:
    """(has a contact form?, evidence)."""
    if page.root is None:
        return False, ""
    try:
        for form in _XP_FORMS(page.root):
            if _form_is_contact(form):
                ident = form.get("id") or form.get("class") or form.get("action") or "form"
                return True, f"form: {clean_text(ident)[:80]}"
        for div in _XP_JS_FORM_CONTAINERS(page.root):
            cls = div.get("class") or ""
            return True, f"form plugin container: {clean_text(cls)[:80]}"
        for frame in _XP_FORM_IFRAMES(page.root):
            src = frame.get("src") or ""
            if _FORM_IFRAME_HOSTS.search(src):
                return True, f"embedded form: {src[:120]}"
    except Exception:  # noqa: BLE001
        return False, ""
    return False, ""


def detect_contact_page(page: Page) -> tuple[bool, str]:
    """(is this the contact page?, evidence): a page *named* contact, not one mentioning it."""
    for seg in title_segments(page.title)[:3]:
        if _CONTACT_NAME.match(seg):
            return True, f"title: {page.title[:120]}"
    for tag, text in page.headings:
        if tag == "h1" and _CONTACT_NAME.match(text.strip(" .!?:")):
            return True, f"h1: {text[:120]}"
    slugs = path_slugs(page.path)
    if slugs and _CONTACT_SLUG.match(slugs[-1]):
        return True, f"url: {page.path[:120]}"
    return False, ""
