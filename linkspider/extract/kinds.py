"""Page kinds, each decided with the evidence that decided it.

The trap of page classification on the real web is the *phrase in passing*:
every page of a blog has "Write for us" in its footer, a post says "we
sometimes accept guest posts", a news story is titled "Advertising spend
rises". So a kind is never decided from a phrase anywhere in the page. Each
kind needs

* a **page name**: the phrase as the name of the page — a segment of the
  ``<title>`` (``"Write for Us | FitLife"``), the main ``<h1>``, (for some kinds)
  a main-content ``<h2>``, or the last slug of the URL path
  (``/write-for-us/``) — navigation, footers, sidebars and comments excluded;
* **body cues** in the main content that such a page carries: guidelines, word
  counts, pitches and submissions for a write-for-us page; prices for an
  advertising page; many links to other sites' articles for a roundup or a
  resources page; a date or a recurring marker for a roundup.

English, German, Spanish and French phrasings are recognised. A page saying
"we do not accept guest posts" is a *negative* signal: ``rejects_guest_posts``
is set and ``is_write_for_us`` is not, even on a page named "Write for us".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .contacts import path_slugs, title_segments
from .html import Page, clean_text, site_of
from .social import normalise_profile

# ---------------------------------------------------------------------------
# page names
# ---------------------------------------------------------------------------
_WFU_NAME = re.compile(
    r"\bwrite\s+(?:for|with)\s+(?:us|me)\b|\bwrite\s+for\s+(?!a\b|the\b|your\b|yourself\b)[\w-]+(?:\s+\w+)?$|"
    r"\bguest\s+(?:post(?:s|ing)?|blog(?:ging)?|articles?|authors?|contributors?|bloggers?|writers?)\s+"
    r"(?:guidelines|policy|policies|submissions?|wanted|rules|welcome|opportunities)\b|"
    r"^guest\s+(?:posts?|posting|blogging|authors?|contributions?)$|"
    r"\b(?:submit|send|pitch)\s+(?:us\s+)?(?:a|an|your)\s+(?:guest\s+)?(?:post|article|story|pitch|idea|blog\s+post)\b|"
    r"\b(?:submission|contributor|contribution|writer|writers|editorial)\s+guidelines\b|"
    r"^contribute(?:\s+(?:to|an?\s+article|a\s+post|with\s+us|\w+))?$|\bcontribute\s+to\s+(?:our|the)\s+(?:blog|site|magazine)\b|"
    r"\bbecome\s+an?\s+(?:contributor|guest\s+(?:author|blogger|writer|contributor)|author|writer)\b|"
    r"\b(?:we\s*(?:'re|\s+are)\s+)?accepting\s+guest\s+(?:posts|articles|contributions)\b|"
    r"\b(?:contributors|writers|guest\s+writers|guest\s+authors)\s+wanted\b|\bcall\s+for\s+(?:contributors|writers|submissions|pitches)\b|"
    r"\bpitch\s+us\b|"
    # German
    r"\bschreib(?:e|en\s+sie)?\s+f(?:ü|ue)r\s+uns\b|\bgastbeitr(?:ag|äge|aege)\b|\bgastartikel\b|\bgastautor(?:in|en|innen)?\b|"
    r"\bautor(?:in)?\s+werden\b|\bgastbloggen\b|\bbeitrag\s+einreichen\b|"
    # Spanish
    r"\bescrib(?:e|ir|a)\s+(?:para|con)\s+nosotros\b|\bcolabora(?:r)?\s+con\s+nosotros\b|\bart[ií]culos?\s+invitados?\b|"
    r"\b(?:posts?|entradas?)\s+invitad[oa]s?\b|\bautor(?:es)?\s+invitados?\b|\benv[ií]a(?:nos)?\s+tu\s+art[ií]culo\b|"
    r"\bpublica\s+(?:tu\s+art[ií]culo|con\s+nosotros)\b|\bgu[ií]a\s+para\s+colaboradores\b|"
    # French
    r"\b(?:[ée]crivez|[ée]crire|r[ée]digez|r[ée]diger)\s+pour\s+nous\b|\barticles?\s+invit[ée]s?\b|"
    r"\bdevenir\s+(?:contributeur|contributrice|r[ée]dacteur|r[ée]dactrice|auteur)\b|\bpropos(?:er|ez)\s+(?:un|votre)\s+article\b|"
    r"\bauteurs?\s+invit[ée]s?\b|\bcontribuer\s+(?:au|à)\s+(?:blog|site|magazine)\b",
    re.I,
)
_WFU_SLUG = re.compile(
    r"^(?:write-for-us|writeforus|write-for-[\w-]+|write-with-us|guest-post(?:s|ing)?(?:-guidelines|-policy)?|"
    r"guest-blog(?:ging)?(?:-guidelines)?|guest-author(?:s)?|contribute|contributors?|become-a-(?:contributor|writer|guest-author)|"
    r"submit(?:-a)?(?:-guest)?-(?:post|article|story)|submissions?|submission-guidelines|contributor-guidelines|"
    r"writers?-guidelines|schreib(?:en)?-(?:sie-)?fuer-uns|schreibe-fuer-uns|gastbeitra(?:g|ege)|gastartikel|gastautor(?:-werden)?|"
    r"autor-werden|escribe-(?:para|con)-nosotros|escribir-para-nosotros|colabora(?:-con-nosotros)?|colaboradores|"
    r"articulos?-invitados?|ecrire-pour-nous|ecrivez-pour-nous|rediger-pour-nous|articles?-invites?|"
    r"devenir-(?:contributeur|redacteur|auteur)|proposer-un-article)(?:\.html?|\.php)?$",
    re.I,
)
_WFU_CUES = {
    "guidelines": r"\bguidelines?\b|\brichtlinien\b|\bpautas\b|\bdirectrices\b|\bnormas\b|\bconsignes\b|\br[èe]gles\b|\bvoraussetzungen\b|\brequisitos\b|\bcrit[èe]res\b",
    "word count": r"\b\d[\d,.]{1,5}\s*(?:\+\s*|-\s*\d[\d,.]*\s*)?(?:words|wörter|worte|palabras|mots)\b|\bword\s+count\b|\bwortanzahl\b|\bmindestens\s+\d",
    "pitch": r"\bpitch(?:es|ing)?\b|\bpitchen\b|\bthemenvorschl|\bpropuesta\b|\bproposition\b|\bproposez\b",
    "submit": r"\bsubmi(?:t|ssions?|tting)\b|\beinreich|\bzusenden\b|\benv[ií]a(?:r|nos)?\b|\bsoumett|\benvoy(?:ez|er)\b|\bsend\s+(?:us|your)\b|\bschick(?:en|t)?\b",
    "originality": r"\boriginal\b|\bunique\b|\bunpublished\b|\bnot\s+(?:been\s+)?published\s+elsewhere\b|\beinzigartig|\bnoch\s+nicht\s+ver(?:ö|oe)ffentlicht|\bin[ée]dit|\b[uú]nico\b|\boriginales?\b",
    "author bio": r"\b(?:author|short)\s+bio\b|\bbio\b|\bautorenbox\b|\bautorenprofil\b|\bbiograf[ií]a\b|\bbiographie\b",
    "links policy": r"\bdo-?follow\b|\bno-?follow\b|\bbacklinks?\b|\blinks?\s+(?:back\s+)?to\s+your\b|\bone\s+link\b|\bself-promotional\b|\benlaces?\b|\blien(?:s)?\s+vers\b",
    "topics": r"\btopics?\s+(?:we|that)\b|\bwe\s+(?:cover|publish|are\s+looking\s+for)\b|\bthemen\b|\btemas\b|\bsujets\b|\bth[ée]matiques\b",
    # The site speaking about contributions (not "we asked our readers").
    "site voice": r"\bwe(?:'ll|\s+will)?\s+(?:(?:gladly|happily|also|only|currently)\s+)?(?:accept|welcome|review|consider|publish)\s+(?:\w+\s+)?(?:guest|contribut|submissions|pitches|articles|posts|writers|new|original|high-quality|well-written|content|from)"
                  r"|\bwe(?:'ll|\s+will)\s+(?:get\s+back|reply|respond)\b|\bwe(?:'re|\s+are)\s+(?:always\s+)?(?:looking\s+for|seeking|accepting)\b"
                  r"|\bsend\s+(?:us\s+)?your\s+(?:pitch|article|draft|idea|post|proposal)|\bour\s+(?:editors?|editorial\s+team)\s+(?:will|reply|replies|review|reads?)\b"
                  r"|\bour\s+guidelines\b|\bwir\s+(?:freuen\s+uns|ver(?:ö|oe)ffentlichen|suchen|nehmen\s+gerne)\b|\baceptamos\b|\bpublicamos\b|\bbuscamos\s+(?:autores|colaboradores|escritores)"
                  r"|\bnous\s+(?:acceptons|publions|recherchons|cherchons)\b",
}

_REJECT = re.compile(
    r"\b(?:we|i)\s+(?:do\s+not|don[’']t|no\s+longer|(?:are|am)\s+(?:not|no\s+longer)|aren[’']t|won[’']t|will\s+not|never|currently\s+do\s+not|currently\s+don[’']t|do\s+not\s+currently|don[’']t\s+currently)\s+"
    r"(?:\w+\s+){0,2}?(?:accept(?:ing)?|take|taking|publish(?:ing)?|allow(?:ing)?|consider(?:ing)?|run(?:ning)?|offer(?:ing)?)\s+(?:any\s+|new\s+)?(?:unsolicited\s+)?"
    r"(?:guest\s+(?:posts?|articles?|contributions?|blog\s+posts?|submissions?|bloggers?|writers?|authors?|posting|blogging)|sponsored\s+(?:guest\s+)?posts|submissions|contributions|outside\s+(?:contributions|submissions|articles))\b|"
    r"\bno\s+(?:more\s+)?guest\s+(?:posts|posting|blogging|articles)(?:\s+please)?\b|"
    r"\bguest\s+(?:posts?|posting|blogging|submissions)\s+(?:are|is)\s+(?:currently\s+)?(?:closed|not\s+accepted|no\s+longer\s+accepted|not\s+possible|paused)\b|"
    r"\bnot\s+(?:currently\s+)?accepting\s+(?:any\s+)?(?:new\s+)?(?:guest\s+(?:posts|articles|contributions|submissions)|submissions|contributions|pitches)\b|"
    r"\bplease\s+(?:do\s+not|don[’']t)\s+(?:send|pitch|email|submit)\s+(?:us\s+)?(?:guest\s+posts?|articles|pitches|link\s+insertions)\b|"
    r"\bclosed\s+to\s+(?:guest\s+posts|submissions|contributions)\b|"
    # German
    r"\bkeine\s+(?:weiteren\s+|neuen\s+)?(?:gastbeitr(?:ä|ae)ge|gastartikel|gastautoren|gastposts)\b|"
    r"\b(?:nehmen|akzeptieren|ver(?:ö|oe)ffentlichen)\s+(?:derzeit\s+|aktuell\s+|leider\s+|grunds(?:ä|ae)tzlich\s+)*(?:keine|nicht\s+mehr)\s+(?:\w+\s+)?(?:gastbeitr|gastartikel|beitr(?:ä|ae)ge)|"
    # Spanish
    r"\bno\s+(?:aceptamos|publicamos|admitimos|estamos\s+aceptando)\s+(?:m[aá]s\s+)?(?:art[ií]culos|posts|entradas|colaboraciones|guest\s+posts)(?:\s+(?:de\s+)?invitad[oa]s)?\b|"
    # French
    r"\bn['’]acceptons\s+(?:pas|plus)\s+(?:d['’]|les\s+|de\s+)?(?:articles\s+invit[ée]s|guest\s+posts|contributions|articles\s+externes|articles\s+sponsoris[ée]s)|"
    r"\bpas\s+d['’]articles\s+invit[ée]s\b",
    re.I,
)
_QUOTE_BEFORE = re.compile(r"(?:[\"“„«]|\bsay(?:s|ing)?\b|\bsaid\b|\bread(?:s)?\b|\blike\b)[^.\"”]{0,12}$", re.I)

_SPONSOR_NAME = re.compile(
    r"^advertis(?:e|ing)(?:\s+(?:with|on|at)\s+.+|\s+here)?$|\badvertise\s+with\s+us\b|"
    r"\badvertising\s+(?:opportunities|rates|options|info(?:rmation)?|packages|enquiries|inquiries|and\s+sponsorships?)\b|"
    r"\bsponsored\s+(?:posts?|content|articles?|reviews?)\b(?!\s+(?:by|from))|\bsponsorships?(?:\s+(?:opportunities|packages|options))?$|"
    r"\bmedia\s*kit\b|\brate\s*card\b|\bpartner\s+with\s+us\b|\bwork\s+with\s+us\b|\bpaid\s+(?:placements?|posts?|guest\s+posts?|reviews?)\b|"
    r"\b(?:buy|book)\s+a\s+(?:sponsored\s+)?(?:post|placement)\b|\bbrand\s+partnerships?\b|"
    r"^werben(?:\s+(?:bei|auf)\s+.+)?$|\bwerbung\s+(?:schalten|buchen)\b|^werbung$|\bmediadaten\b|^kooperationen?$|\bwerbem(?:ö|oe)glichkeiten\b|"
    r"^publicidad$|\ban[uú]nciate(?:\s+con\s+nosotros)?\b|\banunciarse\b|\bart[ií]culos?\s+patrocinados?\b|\bpublicidad\s+en\b|"
    r"^publicit[ée]$|\bannoncer\s+(?:sur|chez|avec)\b|\bannonceurs\b|\barticles?\s+sponsoris[ée]s?\b|\bfaire\s+de\s+la\s+publicit[ée]\b|^partenariats?$",
    re.I,
)
_SPONSOR_SLUG = re.compile(
    r"^(?:advertise(?:-with-us|-here)?|advertising(?:-rates|-opportunities)?|sponsored-(?:posts?|content|articles?)|sponsorships?|"
    r"media-kit|mediakit|rate-card|work-with-us|partner-with-us|paid-(?:posts?|placements?)|werben|werbung|mediadaten|"
    r"kooperationen?|publicidad|anunciate|anunciarse|articulos-patrocinados|publicite|annoncer|annonceurs|partenariats?|"
    r"articles?-sponsorises?)(?:\.html?|\.php)?$",
    re.I,
)
_PRICE = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:€|\$|£|usd\b|eur\b|gbp\b|euros?\b|dollars\b))",
    re.I,
)
_SPONSOR_CUES = {
    "ad vocabulary": r"\bsponsor|\badvertis|\bdo-?follow\b|\bbanner|\bplacement|\bgesponsert|\bwerbe|\bwerbung\b|\bpatrocinad|\bpublicidad\b|\bpublicit[ée]\b|\bsponsoris|\bannonce",
    "rates": r"\bpric(?:e|es|ing)\b|\brates?\b|\bpreise?\b|\bprecios?\b|\btarifs?\b|\bkosten\b|\bpackages?\b|\bpakete?\b|\bpaquetes?\b|\bformules?\b",
    "per unit": r"\bper\s+(?:post|article|month|week|placement|link)\b|\bpro\s+(?:beitrag|artikel|monat|woche)\b|\bpor\s+(?:art[ií]culo|post|mes|semana)\b|\bpar\s+(?:article|mois|semaine)\b",
    "audience": r"\bmonthly\s+(?:visitors|page\s*views|readers|sessions)\b|\bpage\s*views\b|\bunique\s+visitors\b|\baudience\b|\bbesucher\b|\bseitenaufrufe\b|\bvisitas\b|\bvisiteurs\b|\blectores\b|\blecteurs\b|\btraffic\b|\breichweite\b",
}

_ROUNDUP_NAME = re.compile(
    r"\bround-?ups?\b|\blink\s+love\b|\blinks?\s+(?:of|for)\s+the\s+(?:week|month|day)\b|"
    r"\b(?:weekly|monthly|friday|saturday|sunday|monday|weekend|week(?:'s)?|month(?:'s)?)\s+(?:links|reads|reading|favou?rites|finds|picks|link\s+list|digest|recap|round-?up)\b|"
    r"\b(?:best|top|great|favou?rite)\s+(?:reads|links|posts|articles)\s+(?:of|from|this)\s+(?:the\s+)?(?:week|month)\b|"
    r"\bthis\s+week\s+in\s+\w+|\bwhat\s+(?:we|i)(?:['’]re|\s+are|\s+am|['’]m|\s+were|\s+was)?\s+reading\b|"
    r"\bthings\s+i\s+(?:read|loved|learned|liked)\s+this\s+(?:week|month)\b|\baround\s+the\s+web\b|\blinks?\s+i\s+(?:loved|liked)\b|"
    r"\bweekend\s+reading\b|\bin\s+case\s+you\s+missed\s+it\b|\blinkdump\b|"
    r"\blesetipps\b|\blinktipps\b|\bfundst(?:ü|ue)cke\b|\bwochenr(?:ü|ue)ckblick\b|\blinks\s+der\s+woche\b|\blesenswert(?:es)?\b|\bmonatsr(?:ü|ue)ckblick\b|"
    r"\benlaces\s+(?:de\s+la\s+semana|del\s+mes|recomendados\s+de)\b|\blo\s+mejor\s+de\s+la\s+semana\b|\blecturas\s+(?:de\s+la\s+semana|recomendadas|del\s+fin\s+de\s+semana)\b|"
    r"\bliens\s+de\s+la\s+semaine\b|\blectures\s+de\s+la\s+semaine\b|\brevue\s+de\s+(?:liens|web|presse)\b|\ble\s+meilleur\s+de\s+la\s+semaine\b|\bs[ée]lection\s+de\s+la\s+semaine\b",
    re.I,
)
_ROUNDUP_SLUG = re.compile(
    r"round-?up|link-love|links-of-the-(?:week|month)|(?:weekly|friday|sunday|saturday|weekend|monthly)-(?:links|reads|reading|favou?rites|finds|picks|digest)|"
    r"lesetipps|linktipps|links-der-woche|wochenrueckblick|enlaces-de-la-semana|lecturas-de-la-semana|liens-de-la-semaine|revue-de-(?:liens|web)|what-(?:we|i)-(?:are|am|re|m)-reading",
    re.I,
)
_RECURRING = re.compile(
    r"#\s?\d+|\bno\.?\s?\d+\b|\bissue\s+\d+|\bvol(?:ume|\.)?\s?\d+|\bedition\b|\bweek\s+\d+|\bkw\s?\d+|\bsemana\s+\d+|\bsemaine\s+\d+|"
    r"\b(?:19|20)\d\d\b|\b(?:weekly|monthly|friday|saturday|sunday|weekend|wöchentlich|semanal|hebdo)\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)

_RESOURCES_NAME = re.compile(
    r"\bresources?\b|\buseful\s+(?:links|sites|websites|tools)\b|\bhelpful\s+(?:links|sites|websites)\b|"
    r"\brecommended\s+(?:sites|links|websites|blogs|reading|tools)\b|\bblogroll\b|\blinks?\s+(?:list|directory|page|library)\b|"
    r"\bwebsites\s+we\s+(?:love|recommend)\b|\bfurther\s+reading\b|^links$|"
    r"\bn(?:ü|ue)tzliche\s+(?:links|seiten|websites)\b|\blinkliste\b|\blinksammlung\b|\bressourcen\b|\bweiterf(?:ü|ue)hrende\s+links\b|"
    r"\benlaces\s+(?:[uú]tiles|de\s+inter[eé]s|recomendados)\b|\brecursos\b|"
    r"\bliens\s+utiles\b|\bressources\b|\bsites\s+recommand[ée]s\b",
    re.I,
)
_RESOURCES_SLUG = re.compile(
    r"^(?:resources?|[\w-]*-resources|resources-[\w-]+|useful-links|helpful-links|links|blogroll|resource-list|recommended-sites|"
    r"ressourcen|nuetzliche-links|linkliste|linksammlung|recursos|[\w-]*-recursos|recursos-[\w-]+|enlaces(?:-utiles|-de-interes)?|"
    r"ressources|[\w-]*-ressources|liens-utiles)(?:\.html?|\.php)?$",
    re.I,
)

_ABOUT_NAME = re.compile(
    r"^(?:about(?:\s+(?:us|me|the\s+\w+|this\s+(?:blog|site)|[\w.\-]+(?:\s+[\w.\-]+)?))?|our\s+story|my\s+story|who\s+we\s+are|"
    r"meet\s+the\s+team|the\s+team|our\s+team|(?:ü|ue)ber\s+(?:uns|mich)|wer\s+wir\s+sind|sobre\s+(?:nosotros|m[ií])|"
    r"qui[eé]nes\s+somos|qui[eé]n\s+soy|nosotros|[àa]\s+propos(?:\s+de\s+(?:nous|moi))?|qui\s+sommes[-\s]nous|qui\s+suis[-\s]je)$",
    re.I,
)
_ABOUT_SLUG = re.compile(
    r"^(?:about|about-us|about-me|aboutus|our-story|who-we-are|team|our-team|meet-the-team|ueber-uns|uber-uns|ueber-mich|"
    r"sobre-nosotros|sobre-mi|quienes-somos|nosotros|a-propos|apropos|qui-sommes-nous|qui-suis-je|about\.html?|about\.php)$",
    re.I,
)

_COMMERCE = re.compile(
    r"(?:^|\.)(?:amazon\.[a-z.]+|amzn\.to|ebay\.[a-z.]+|walmart\.com|target\.com|bestbuy\.com|etsy\.com|aliexpress\.com|"
    r"shareasale\.com|awin1\.com|rakuten\.com|click\.linksynergy\.com|go\.skimresources\.com|rei\.com|zalando\.[a-z.]+|"
    r"otto\.de|mediamarkt\.[a-z]+|fnac\.com|elcorteingles\.es)$"
)
_SHOP_ANCHOR = re.compile(r"\b(?:buy|check\s+price|see\s+price|shop\s+now|add\s+to\s+cart|view\s+on\s+amazon|kaufen|comprar|acheter)\b", re.I)


@dataclass
class Kinds:
    """Booleans of every page kind, plus evidence strings for those that fired."""

    is_write_for_us: bool = False
    rejects_guest_posts: bool = False
    is_sponsored: bool = False
    is_roundup: bool = False
    is_resources: bool = False
    is_contact_page: bool = False
    is_about_page: bool = False
    evidence: dict[str, str] = field(default_factory=dict)


def _page_names(page: Page, use_h2: bool = False) -> list[tuple[str, str]]:
    """(where, text) candidates naming the page: title segments, main h1, optionally h2."""
    names: list[tuple[str, str]] = []
    for seg in title_segments(page.title)[:3]:
        names.append(("title", seg))
    for tag, text in page.headings:
        if tag == "h1" or (use_h2 and tag == "h2"):
            names.append((tag, text.strip(" .!?:")))
    if not any(w == "h1" for w, _ in names):
        # Some themes put the post title's h1 in a header region: still the page's name.
        for text in page.all_h1[:1]:
            names.append(("h1", text.strip(" .!?:")))
    return names


def _name_hit(page: Page, pattern: re.Pattern[str], slug_pattern: re.Pattern[str] | None,
              use_h2: bool = False, max_words: int = 9, slug_search: bool = False) -> str:
    """Evidence string when the page is *named* by pattern, else ''."""
    for where, text in _page_names(page, use_h2):
        if len(text.split()) > max_words:
            continue
        m = pattern.search(text)
        if m:
            return f'{where}: "{text[:120]}"'
    if slug_pattern is not None:
        slugs = path_slugs(page.path)
        if slugs:
            last = slugs[-1]
            if slug_pattern.search(last) if slug_search else slug_pattern.match(last):
                return f"url: {page.path[:120]}"
    return ""


def _cues(text: str, cues: dict[str, str]) -> list[str]:
    found = []
    for name, pattern in cues.items():
        m = re.search(pattern, text, re.I)
        if m:
            found.append(f"{name} ({m.group(0).strip()[:30]})")
    return found


def _link_stats(page: Page) -> tuple[int, int, int]:
    """(external content links, distinct external sites, shop links) in the main content."""
    count = shop = 0
    sites: set[str] = set()
    own = page.site
    for link in page.main_links:
        url = link.url
        if not url.startswith(("http://", "https://")):
            continue
        if normalise_profile(url) is not None or "share" in url.lower() or "intent" in url.lower():
            continue
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            continue
        if not host or site_of(host) in ("", own):
            continue
        if _COMMERCE.search(host) or _SHOP_ANCHOR.search(link.text) or "sponsored" in link.rel:
            shop += 1
            continue
        count += 1
        sites.add(site_of(host))
    return count, len(sites), shop


# Every rejection phrase contains one of these words; the full pattern (a dozen
# alternations, ~1 ms over a whole page) only runs in a window around each
# occurrence, found with str.find (microseconds).
_REJECT_KEYWORDS = (
    "guest", "gast", "invit", "submission", "contribution", "pitch", "insertion", "sponsored",
    "beitr", "aceptamos", "publicamos", "admitimos", "aceptando", "acceptons", "outside", "extern",
)


def rejects_guest_posts(text: str) -> str:
    """The sentence fragment that says "we do not accept guest posts", or ''."""
    low = text.lower()
    positions: list[int] = []
    for word in _REJECT_KEYWORDS:
        i = low.find(word)
        while i != -1 and len(positions) < 400:
            positions.append(i)
            i = low.find(word, i + len(word))
    covered = -1
    for pos in sorted(positions):
        if pos < covered:
            continue
        lo, hi = max(0, pos - 140), min(len(text), pos + 120)
        covered = hi - 60
        for m in _REJECT.finditer(text, lo, hi):
            before = text[max(0, m.start() - 40): m.start()]
            if _QUOTE_BEFORE.search(before):
                continue  # quoted or reported speech: "many blogs say 'we don't accept guest posts'"
            return clean_text(m.group(0))
    return ""


def classify(page: Page, published: str | None = None) -> Kinds:
    """Decide every page kind for ``page`` (``published`` from :mod:`.dates`)."""
    k = Kinds()
    try:
        _classify(page, published, k)
    except Exception:  # noqa: BLE001 - a classifier bug must not lose the page
        pass
    return k


def _classify(page: Page, published: str | None, k: Kinds) -> None:
    main = page.main_text
    low_main = main.lower()
    words = len(main.split())

    # -- negative signal first: it overrides the positive one ------------------
    reject = rejects_guest_posts(page.text)
    if reject:
        k.rejects_guest_posts = True
        k.evidence["rejects_guest_posts"] = f'phrase: "{reject[:120]}"'

    # -- write for us -----------------------------------------------------------
    name = _name_hit(page, _WFU_NAME, _WFU_SLUG)
    need = 2
    if not name:
        name = _name_hit(page, _WFU_NAME, None, use_h2=True, max_words=7)
        need = 4
    if name and not reject:
        cues = _cues(low_main, _WFU_CUES)
        # The site itself must speak ("we accept", "send us", "our editors"):
        # an article *about* guest posting has every other cue.
        voiced = any(c.startswith("site voice") for c in cues)
        if voiced and len(cues) >= need and words >= 40:
            k.is_write_for_us = True
            k.evidence["write_for_us"] = f"{name}; cues: {', '.join(cues[:4])}"

    # -- sponsored / advertise ----------------------------------------------------
    name = _name_hit(page, _SPONSOR_NAME, _SPONSOR_SLUG)
    if name:
        cues = _cues(low_main, _SPONSOR_CUES)
        price = _PRICE.search(main)
        has_ad_vocab = any(c.startswith("ad vocabulary") for c in cues)
        if has_ad_vocab and (price or len(cues) >= 3):
            k.is_sponsored = True
            extra = f"price {price.group(0)}" if price else ", ".join(cues[:3])
            k.evidence["sponsored"] = f"{name}; {extra}"

    # -- roundup / resources: pages of links to other sites -------------------------
    ext_count, ext_sites, shop = _link_stats(page)
    name = _name_hit(page, _ROUNDUP_NAME, _ROUNDUP_SLUG, max_words=12, slug_search=True)
    if name and ext_sites >= 5 and ext_count >= 6 and shop * 2 < ext_count:
        dated = bool(published) or bool(_RECURRING.search(page.title + " " + page.path)) or bool(
            re.search(r"/(?:19|20)\d\d/", page.path)
        )
        if dated:
            k.is_roundup = True
            k.evidence["roundup"] = f"{name}; {ext_count} links to {ext_sites} other sites" + (
                f"; dated {published}" if published else ""
            )
    if not k.is_roundup:
        name = _name_hit(page, _RESOURCES_NAME, _RESOURCES_SLUG, max_words=9)
        if name and ext_sites >= 5 and ext_count >= 6 and shop * 2 < ext_count:
            k.is_resources = True
            k.evidence["resources"] = f"{name}; {ext_count} links to {ext_sites} other sites"

    # -- about ----------------------------------------------------------------------------
    for where, text in _page_names(page):
        if len(text.split()) <= 6 and _ABOUT_NAME.match(text):
            k.is_about_page = True
            k.evidence["about_page"] = f'{where}: "{text[:120]}"'
            break
    if not k.is_about_page:
        slugs = path_slugs(page.path)
        if slugs and _ABOUT_SLUG.match(slugs[-1]):
            k.is_about_page = True
            k.evidence["about_page"] = f"url: {page.path[:120]}"
