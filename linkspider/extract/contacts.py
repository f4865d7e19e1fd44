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
# Form widgets a script draws into the page (HubSpot, Typeform, Tally, Letterbird, JotForm...).
_XP_FORM_SCRIPTS = etree.XPath("//script[@src] | //*[@data-tf-widget or @data-tally-src or @data-form-id]")
# Services a static site's form posts to: the form sends the site a message, whatever its fields are named.
_FORM_BACKENDS = re.compile(
    r"formspree\.io|getform\.io|formcarry\.com|usebasin\.com|formkeep\.com|getsimpleform\.com|formsubmit\.co|"
    r"api\.web3forms\.com|staticforms\.xyz|pageclip\.co|submit-form\.com|formspark\.io|kwes\.io|"
    r"formbold\.com|forms\.un-static\.com|fabform\.io",
    re.I,
)
_FORM_SCRIPT_HOSTS = re.compile(
    r"js\.hsforms\.net|embed\.typeform\.com|tally\.so/widgets|letterbird\.co|form\.jotform\.com|"
    r"static\.formspree\.io|paperform\.co|fillout\.com/embed",
    re.I,
)

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
    r"docs\.google\.com/forms|forms\.gle|spreadsheets\.google\.com/embeddedform|typeform\.com|jotform\.com|"
    r"tally\.so|formstack\.com|cognitoforms\.com|hsforms\.(?:com|net)|123formbuilder\.com|wufoo\.com|"
    r"airtable\.com/embed|forms\.office\.com|forms\.microsoft\.com|forms\.zohopublic\.|paperform\.co|"
    r"fillout\.com|letterbird\.co",
    re.I,
)

# Page names of contact pages in title segments, h1 and URL slugs.
# Imprints (Impressum, Mentions légales, Aviso legal) are contact pages too: the law makes them list
# who runs the site and how to reach them. "Hire me", "Work with me" and "Request a quote" are how a
# freelancer's or a small firm's site says "contact".
_CONTACT_NAME = re.compile(
    r"^(?:contact(?:\s+(?:us|me|the\s+\w+|information|info|page|form|details))?|get\s+in\s+touch|"
    r"talk\s+to\s+us|reach\s+(?:us|me|out)|say\s+(?:hello|hi)|drop\s+(?:us|me)\s+a\s+line|write\s+to\s+(?:us|me)|"
    r"let'?s\s+talk|impressum|imprint|legal\s+notice|site\s+notice|mentions\s+l[ée]gales|aviso\s+legal|"
    r"kontakt(?:formular|ieren\s+sie\s+uns)?|kontaktieren|contacto|cont[aá]ctanos|cont[aá]ctenos|"
    r"nous\s+contacter|contactez[-\s]nous|contact(?:ez)?[-\s]moi)$",
    re.I,
)
_CONTACT_SLUG = re.compile(
    r"^(?:contact|contact-us|contactus|contact-me|get-in-touch|kontakt|kontaktformular|contacto|"
    r"contactanos|contactenos|nous-contacter|contactez-nous|say-hello|say-hi|lets-talk|impressum|imprint|legal-notice|"
    r"mentions-legales|aviso-legal)(?:\.(?:html?|php|aspx?))?$",
    re.I,
)
# Names a page gives to working with someone: a contact page when it gives a way to reach them (an
# address or a form), a price list of services when it does not.
_HIRE_NAME = re.compile(r"^(?:hire\s+me!?|work\s+with\s+(?:me|us)|(?:request|get)\s+(?:a\s+)?(?:free\s+)?quote)$", re.I)
_HIRE_SLUG = re.compile(r"^(?:hire|hire-me|work-with-me|work-with-us|request-quote|request-a-quote|get-a-quote)"
                        r"(?:\.(?:html?|php|aspx?))?$", re.I)
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


_PHONE_NAME = re.compile(r"phone|telefon|tel\b|teléfono|telefono|téléphone|handy|mobile", re.I)
_PLUGIN_FORM = ("wpcf7", "wpforms", "gform", "ninja-forms", "frm_form", "fluentform", "elementor-form", "forminator",
                "caldera", "everest-form", "hs-form", "contact")
_XP_LABELS = etree.XPath(".//label")


def _form_is_contact(form: Any) -> bool:
    """A form that sends the site a message: a message field and a way to answer (an email or a name);
    or, from a contact-form plugin or with a phone field, a name and a way to call back ("Rückruf")."""
    ident = " ".join(filter(None, (form.get("id"), form.get("class"), form.get("action"), form.get("name"), form.get("role"))))
    low = ident.lower()
    plugin = any(m in low for m in _PLUGIN_FORM)
    if (_FORM_BACKENDS.search(form.get("action") or "") or form.get("data-netlify") is not None
            or form.get("netlify") is not None) and not _NEGATIVE_FORM.search(ident):
        return any((el.get("type") or "text").lower() not in {"hidden", "submit", "button"} for el in _XP_FIELDS(form))
    if _NEGATIVE_FORM.search(ident):
        # Comment forms and newsletters sometimes reuse plugin classes; the
        # identity of the form wins over the plugin marker.
        if not plugin:
            return False
    has_message = has_email = has_name = has_phone = False
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
        elif typ == "tel" or _PHONE_NAME.search(key):
            has_phone = True
        elif _MESSAGE_NAME.search(key):
            has_message = True
        elif _NAME_NAME.search(key):
            has_name = True
    if has_message and not (has_email or has_name):
        # Fields named only by their <label>s (a Vue or React form): read the labels.
        labels = " ".join(" ".join(lab.itertext()) for lab in _XP_LABELS(form))
        has_email, has_name = bool(_EMAIL_NAME.search(labels)), bool(_NAME_NAME.search(labels))
    if has_message:
        return has_email or has_name
    return (has_email or has_phone) and has_name and (plugin or has_phone)


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
        for el in _XP_FORM_SCRIPTS(page.root):
            src = el.get("src") or el.get("data-tally-src") or ""
            if _FORM_SCRIPT_HOSTS.search(src) or el.get("data-tf-widget") or el.get("data-tally-src"):
                return True, f"form widget: {(src or el.get('data-tf-widget') or '')[:120]}"
    except Exception:  # noqa: BLE001
        return False, ""
    return False, ""


def detect_contact_page(page: Page, reachable: bool = False) -> tuple[bool, str]:
    """(is this the contact page?, evidence): a page *named* contact, not one mentioning it.

    ``reachable``: the page shows an address or a contact form, which makes a "Hire me" or
    "Request a quote" page the site's contact page.
    """
    names = [_CONTACT_NAME, _HIRE_NAME] if reachable else [_CONTACT_NAME]
    for seg in title_segments(page.title)[:3]:
        if any(n.match(seg) for n in names):
            return True, f"title: {page.title[:120]}"
    for tag, text in page.headings:
        if tag == "h1" and any(n.match(text.strip(" .!?:")) for n in names):
            return True, f"h1: {text[:120]}"
    slugs = path_slugs(page.path)
    if slugs and (_CONTACT_SLUG.match(slugs[-1]) or (reachable and _HIRE_SLUG.match(slugs[-1]))):
        return True, f"url: {page.path[:120]}"
    return False, ""
