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

How much a write-for-us page must show depends on its name. A name that can
only be an invitation ("Write for Us", "Become an author", /write-for-us/)
needs two body cues of guidelines. A name that may be something else ("Guest
Post" is also a post by a guest, "Contribute" an open-source guide) needs the
site's own voice too ("we accept", "I will review", "want to contribute?"),
which an article *about* guest posting lacks; a main-content h2 alone needs
that voice and four cues.

English, German, Spanish and French phrasings are recognised. A page saying
"we do not accept guest posts" is a *negative* signal: ``rejects_guest_posts``
is set and ``is_write_for_us`` is not, even on a page named "Write for us".
Refusing *some* posts is not that: "we do not publish sponsored posts", "no
casino, CBD or loan content", "we do not accept guest posts about gambling"
leave a write-for-us page what it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .contacts import path_slugs, title_segments
from .html import Page, clean_text, site_of
from .social import normalise_profile


def _compiled(cues: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """Cue families, compiled once; they are read in the lower-cased main text, so without re.I
    (a case-blind scan costs several times as much)."""
    return {name: re.compile(pattern) for name, pattern in cues.items()}


# ---------------------------------------------------------------------------
# page names
# ---------------------------------------------------------------------------
# Names that can only be an invitation ("Write for Us", "Become an author", "Schreib für uns").
_WFU_INVITATION_NAMES = (
    r"\bwrite\s+(?:for|with)\s+(?:us|me)\b|\bwrite\s+for\s+(?!a\b|the\b|your\b|yourself\b)[\w-]+(?:\s+\w+)?$|"
    r"\bguest\s+(?:post(?:s|ing)?|blog(?:ging)?|articles?|authors?|contributors?|bloggers?|writers?)\s+"
    r"(?:guidelines|policy|policies|wanted|rules|welcome|opportunities)\b|\bguest\s+post(?:s|ing)?\s+(?:with|for)\s+us\b|"
    r"\b(?:submit|send|pitch)\s+(?:us\s+)?(?:a|an|your)\s+(?:guest\s+)?(?:post|article|story|pitch|idea|blog\s+post)\b|"
    r"\b(?:contributor|writer|writers|pitch(?:ing)?)\s+guidelines\b|\bcontribute\s+to\s+(?:our|the)\s+(?:blog|site|magazine)\b|"
    r"\bwrite\s+for\s+(?:the|our)\s+(?:blog|site|website|magazine|newsletter)\b|"
    r"\bbecome\s+an?\s+(?:contributor|guest\s+(?:author|blogger|writer|contributor)|author|writer)\b|"
    r"\b(?:we\s*(?:'re|\s+are)\s+)?accepting\s+guest\s+(?:posts|articles|contributions)\b|"
    r"\b(?:contributors|writers|guest\s+writers|guest\s+authors)\s+wanted\b|\bcall\s+for\s+(?:contributors|writers|pitches)\b|"
    r"\bpitch\s+us\b|"
    # German
    r"\bschreib(?:e|en\s+sie)?\s+f(?:ü|ue)r\s+uns\b|\bautor(?:in)?\s+werden\b|\bgastautor(?:in)?\s+werden\b|\bbeitrag\s+einreichen\b|"
    r"\bgast(?:beitrag|artikel)\s+(?:schreiben|einreichen|ver(?:ö|oe)ffentlichen)\b|"
    # Spanish
    r"\bescrib(?:e|ir|a)\s+(?:para|con)\s+nosotros\b|\bcolabora(?:r)?\s+con\s+nosotros\b|\benv[ií]a(?:nos)?\s+tu\s+art[ií]culo\b|"
    r"\bpublica\s+(?:tu\s+art[ií]culo|con\s+nosotros)\b|\bgu[ií]a\s+para\s+colaboradores\b|"
    # French
    r"\b(?:[ée]crivez|[ée]crire|r[ée]digez|r[ée]diger)\s+pour\s+nous\b|"
    r"\bdevenir\s+(?:contributeur|contributrice|r[ée]dacteur|r[ée]dactrice|auteur)\b|\bpropos(?:er|ez)\s+(?:un|votre)\s+article\b|"
    r"\bcontribuer\s+(?:au|à)\s+(?:blog|site|magazine)\b"
)
# Names that may also be a post by a guest, a category of such posts or an open-source project's
# contributing guide ("Guest Post", "Gastbeitrag", "Contribute", "Submissions", "Artículos invitados"):
# a page so named needs the site's own voice as well (see _classify).
_WFU_AMBIGUOUS_NAMES = (
    r"\bguest\s+(?:post(?:s|ing)?|blog(?:ging)?|articles?|authors?|contributors?|bloggers?|writers?)\s+submissions?\b|"
    r"^guest\s+(?:posts?|posting|blogging|authors?|contributions?)$|"
    r"\b(?:submission|contribution|editorial)\s+guidelines\b|\bcall\s+for\s+submissions\b|"
    r"^contribute(?:\s+(?:to|an?\s+article|a\s+post|with\s+us|\w+))?$|"
    r"\bgastbeitr(?:ag|äge|aege)\b|\bgastartikel\b|\bgastautor(?:in|en|innen)?\b|\bgastbloggen\b|"
    r"^colabora(?:r|ciones)?$|\bart[ií]culos?\s+invitados?\b|\b(?:posts?|entradas?)\s+invitad[oa]s?\b|\bautor(?:es)?\s+invitados?\b|"
    r"\barticles?\s+invit[ée]s?\b|\bauteurs?\s+invit[ée]s?\b|^(?:submissions?|submit|mitmachen|contribuer|colaboradores)$"
)
_WFU_INVITATION = re.compile(_WFU_INVITATION_NAMES, re.I)
_WFU_NAME = re.compile(_WFU_INVITATION_NAMES + "|" + _WFU_AMBIGUOUS_NAMES, re.I)
_COLON = re.compile(r"(?<=\w):\s+")
#: Words of a page name besides the invitation itself ("Write for Us" + "Blog", "Guest Post With Us" + "$10").
_INVITATION_EXTRA_WORDS = 3
_WFU_INVITATION_SLUGS = (
    r"write-for-us|writeforus|write-for-[\w-]+|write-with-us|guest-post(?:s|ing)?-(?:guidelines|policy)|pitch-us|pitch-guidelines|"
    r"gast(?:beitrag|artikel)-(?:schreiben|einreichen)|"
    r"guest-blog(?:ging)?-guidelines|become-a-(?:contributor|writer|guest-author)|submit(?:-a)?(?:-guest)?-(?:post|article|story)|"
    r"contributor-guidelines|writers?-guidelines|schreib(?:en)?-(?:sie-)?fuer-uns|schreibe-fuer-uns|gastautor-werden|"
    r"autor-werden|escribe-(?:para|con)-nosotros|escribir-para-nosotros|colabora-con-nosotros|ecrire-pour-nous|"
    r"ecrivez-pour-nous|rediger-pour-nous|devenir-(?:contributeur|redacteur|auteur)|proposer-un-article"
)
_WFU_AMBIGUOUS_SLUGS = (
    r"guest-post(?:s|ing)?|guest-blog(?:ging)?|guest-authors?|contribute|contributors?|submissions?|submission-guidelines|"
    r"gastbeitra(?:g|ege)|gastartikel|gastautor|colabora(?:r)?|colaboradores|articulos?-invitados?|articles?-invites?|"
    r"guest-posting|guest-blogging|write|writers|pitch|mitmachen|contribuer"
)
_WFU_INVITATION_SLUG = re.compile(rf"^(?:{_WFU_INVITATION_SLUGS})(?:\.html?|\.php)?$", re.I)
_WFU_SLUG = re.compile(rf"^(?:{_WFU_INVITATION_SLUGS}|{_WFU_AMBIGUOUS_SLUGS})(?:\.html?|\.php)?$", re.I)
_WFU_CUES = _compiled({
    "guidelines": r"\bguidelines?\b|\brichtlinien\b|\bpautas\b|\bdirectrices\b|\bnormas\b|\bconsignes\b|\br[èe]gles\b|\bvoraussetzungen\b|\brequisitos\b|\bcrit[èe]res\b",
    "word count": r"\b\d[\d,.]{1,5}\s*(?:\+\s*|-\s*\d[\d,.]*\s*)?(?:words|wörter|worte|palabras|mots)\b|\bword\s+count\b|\bwortanzahl\b|\bmindestens\s+\d",
    "pitch": r"\bpitch(?:es|ing)?\b|\bpitchen\b|\bthemenvorschl|\bpropuesta\b|\bproposition\b|\bproposez\b",
    "submit": r"\bsubmi(?:t|ssions?|tting)\b|\beinreich|\bzusenden\b|\benv[ií]a(?:r|nos)?\b|\bsoumett|\benvoy(?:ez|er)\b|\bsend\s+(?:us|your)\b|\bschick(?:en|t)?\b",
    "originality": r"\boriginal\b|\bunique\b|\bunpublished\b|\bnot\s+(?:been\s+)?published\s+elsewhere\b|\beinzigartig|\bnoch\s+nicht\s+ver(?:ö|oe)ffentlicht|\bin[ée]dit|\b[uú]nico\b|\boriginales?\b",
    "author bio": r"\b(?:author|short)\s+bio\b|\bbio\b|\bautorenbox\b|\bautorenprofil\b|\bbiograf[ií]a\b|\bbiographie\b",
    "links policy": r"\bdo-?follow\b|\bno-?follow\b|\bbacklinks?\b|\blinks?\s+(?:back\s+)?to\s+your\b|\bone\s+link\b|\bself-promotional\b|\benlaces?\b|\blien(?:s)?\s+vers\b",
    "topics": r"\btopics?\s+(?:we|that)\b|\bwe\s+(?:cover|publish|are\s+looking\s+for)\b|\bthemen\b|\btemas\b|\bsujets\b|\bth[ée]matiques\b",
    # How to send it: samples, the file, the images, the editing ("writing samples", "a Google Doc").
    "submission format": r"\bwriting\s+samples?\b|\bsamples?\s+of\s+your\s+(?:work|writing)\b|\bgoogle\s+docs?\b|\bmarkdown\b|"
                         r"\bword\s+(?:document|file)\b|\bfeatured\s+image\b|\bheadshot\b|\bscreenshots?\b|\b(?:we|i)\s+(?:may|reserve\s+the\s+right\s+to)\s+edit\b|"
                         r"\bplagiari[sz]|\bai-generated\b|\bdeadline\b|\bhonorar\b|\bwe\s+pay\b|\bper\s+word\b",
    # What the contributor gets: a byline, an author page, exposure.
    "benefits": r"\bbyline\b|\bexposure\b|\bget\s+featured\b|\bauthor\s+(?:page|profile|credit)\b|\bwriter\s+credit\b|\breach\s+(?:our|a\s+wider|new)\s+(?:audience|readers)\b",
    # The reader's own writing ("your article", "share your tips").
    "your writing": r"\byour\s+(?:own\s+)?(?:posts?|articles?|tips|tutorials?|stor(?:y|ies)|drafts?|pieces?|guest\s+posts?|manuscripts?|writing)\b"
                    r"|\btus?\s+(?:art[ií]culos?|textos?|propuestas?)\b|\bihre?n?\s+(?:beitrag|artikel|text)\b|\bvotre\s+(?:article|texte|proposition)\b",
    # Kinds of pieces listed together ("tutorials, case studies and reviews"; "ensayos, artículos, crónicas").
    "formats": r"\b(?:%(f)s)\s*(?:,|and|or|und|oder|y|o|et|ou)\s*(?:\w+\s+)?(?:%(f)s)\b" % {"f":
        r"essays|articles|tutorials|case\s+studies|how-?tos|guides|opinion\s+pieces|reviews|interviews|stories|"
        r"ensayos|art[ií]culos|cr[óo]nicas|rese[ñn]as|entrevistas|tutoriales|aufs(?:ä|ae)tze|artikel|reportagen|"
        r"rezensionen|interviews|anleitungen|essais|chroniques|critiques|entretiens"},
})
# The site's own voice (or the reader invited): an ambiguously named page needs one, an h2-named page the first.
_WFU_VOICES = _compiled({
    # The site speaking about contributions (not "we asked our readers").
    "site voice": r"\b(?:we|i)(?:'ll|\s+will)?\s+(?:(?:gladly|happily|also|only|currently|always)\s+)?(?:accept|welcome|review|consider|publish)\s+(?:\w+\s+)?(?:guest|contribut|submissions|pitches|articles|posts|writers|new|original|high-quality|well-written|content|from|stories)"
                  r"|\b(?:we|i)(?:'ll|\s+will)\s+(?:get\s+back|reply|respond|review)\b|\bwe(?:'re|\s+are)\s+(?:always\s+)?(?:looking\s+for|seeking|accepting)\b|\bi(?:'m|\s+am)\s+(?:always\s+)?(?:looking\s+for|accepting)\b"
                  r"|\bsend\s+(?:us\s+)?your\s+(?:pitch|article|draft|idea|post|proposal)|\bour\s+(?:editors?|editorial\s+team)\s+(?:will|reply|replies|review|reads?)\b"
                  r"|\bour\s+guidelines\b|\bwir\s+(?:freuen\s+uns|ver(?:ö|oe)ffentlichen|suchen|nehmen\s+gerne)\b|\baceptamos\b|\bpublicamos\b|\bbuscamos\s+(?:autores|colaboradores|escritores)"
                  r"|\bnous\s+(?:acceptons|publions|recherchons|cherchons)\b"
                  r"|\bwe(?:'d|\s+would)\s+love\s+to\s+(?:hear|read|see|feature|publish)\b|\bwe(?:'re|\s+are)\s+(?:always\s+)?(?:open|happy|excited|glad)\s+to\b"
                  r"|\bwe\s+(?:invite|encourage)\s+(?:you|readers|writers|experts|contributors|guest)",
    # The reader invited to write ("want to contribute?"): voice enough for an ambiguous name, not for an h2.
    "invitation": r"\bwelcomes\s+(?:guest|contribut|submissions|articles|writers|pitches|stories)|\bfeel\s+free\s+to\s+(?:submit|pitch|send)\b|\b(?:want|like|wish|interested)\s+(?:to\s+|in\s+)?(?:write|writing|contribut|submit|becom(?:e|ing)\s+an?\s+(?:guest|author|contributor|writer))"
                  r"|¿\s*quieres\s+(?:participar|colaborar|escribir)|\bm(?:ö|oe)chte(?:st|n)?\s+(?:du|sie)\s+(?:schreiben|mitmachen|beitragen)|\bvous\s+souhaitez\s+(?:contribuer|[ée]crire|publier)",
})

_REJECT = re.compile(
    r"\b(?:we|i)\s+(?:do\s+not|don[’']t|no\s+longer|(?:are|am)\s+(?:not|no\s+longer)|aren[’']t|won[’']t|will\s+not|never|currently\s+do\s+not|currently\s+don[’']t|do\s+not\s+currently|don[’']t\s+currently)\s+"
    r"(?:\w+\s+){0,2}?(?:accept(?:ing)?|take|taking|publish(?:ing)?|allow(?:ing)?|consider(?:ing)?|run(?:ning)?|offer(?:ing)?|do|want|host(?:ing)?)\s+(?:any\s+|new\s+)?(?:unsolicited\s+)?"
    r"(?:guest\s+(?:posts?|articles?|contributions?|blog\s+posts?|submissions?|bloggers?|writers?|authors?|posting|blogging)|submissions|contributions|outside\s+(?:contributions|submissions|articles))\b|"
    r"\b(?:we|i)(?:[’']ve|\s+have)?\s+(?:stopped|ceased|paused|suspended)\s+(?:accepting|taking|publishing)\s+(?:any\s+)?guest\s+(?:posts|articles|contributions|submissions)\b|"
    r"\b(?:we|i)(?:[’']re|[’']m|\s+are|\s+am)\s+not\s+interested\s+in\s+(?:posting|publishing|accepting|running|hosting)\s+guest\s+(?:posts|articles|contributions)\b|"
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
# What follows a refusal that makes it a refusal of *some* posts ("we do not accept guest posts about
# casinos", "... that are AI-generated", "... from SEO agencies"): such a page still takes guest posts.
_PARTIAL_AFTER = re.compile(
    r"\s*(?:that|which|about|related|from|with|containing|promoting|unless|if|without|whose|written\s+by|"
    r"on\s+(?!(?:this|our|my|the)\s+(?:blog|site|website|page)\b)|in\s+(?:the\s+)?(?:following|these|niches?|categor)|"
    r"(?:or|and)\s+(?:sponsored|paid)|(?:que|sobre|zu|über|ueber|mit|sur|qui))\b", re.I)
_QUOTE_BEFORE = re.compile(r"(?:[\"“„«]|\bsay(?:s|ing)?\b|\bsaid\b|\bread(?:s)?\b|\blike\b)[^.\"”]{0,12}$", re.I)

_SPONSOR_NAME = re.compile(
    r"^advertis(?:e|ing)(?:\s+(?:with|on|at)\s+.+|\s+here)?$|\badvertise\s+with\s+us\b|"
    r"\badvertising\s+(?:opportunities|rates|options|info(?:rmation)?|packages|enquiries|inquiries|and\s+sponsorships?)\b|"
    r"\bsponsored\s+(?:posts?|content|articles?|reviews?)\b(?!\s+(?:by|from))|\bsponsorships?(?:\s+(?:opportunities|packages|options))?$|"
    r"\bmedia\s*kit\b|\brate\s*card\b|\bpartner\s+with\s+us\b|\bwork\s+with\s+us\b|\bpaid\s+(?:placements?|posts?|guest\s+posts?|reviews?)\b|"
    r"^sponsor(?:s|ing|\s+us|\s+(?:the|our|this)\s+\w+)?$|\bbecome\s+a\s+sponsor\b|\bsponsor\s+(?:the|our|this)\s+(?:podcast|newsletter|show|blog|site)\b|"
    r"\b(?:buy|book)\s+a\s+(?:sponsored\s+)?(?:post|placement)\b|\bbrand\s+partnerships?\b|"
    r"^werben(?:\s+(?:bei|auf)\s+.+)?$|\bwerbung\s+(?:schalten|buchen)\b|^werbung$|\bmediadaten\b|^kooperationen?$|\bwerbem(?:ö|oe)glichkeiten\b|"
    r"^publicidad$|\ban[uú]nciate(?:\s+con\s+nosotros)?\b|\banunciarse\b|\bart[ií]culos?\s+patrocinados?\b|\bpublicidad\s+en\b|"
    r"^publicit[ée]$|\bannoncer\s+(?:sur|chez|avec)\b|\bannonceurs\b|\barticles?\s+sponsoris[ée]s?\b|\bfaire\s+de\s+la\s+publicit[ée]\b|^partenariats?$",
    re.I,
)
_SPONSOR_SLUG = re.compile(
    r"^(?:advertise(?:-with-us|-here)?|advertising(?:-rates|-opportunities)?|sponsored-(?:posts?|content|articles?)|sponsorships?|"
    r"sponsor(?:s|-us|ing)?|become-a-sponsor|"
    r"media-kit|mediakit|rate-card|work-with-us|partner-with-us|paid-(?:posts?|placements?)|werben|werbung|mediadaten|"
    r"kooperationen?|publicidad|anunciate|anunciarse|articulos-patrocinados|publicite|annoncer|annonceurs|partenariats?|"
    r"articles?-sponsorises?)(?:\.html?|\.php)?$",
    re.I,
)
_PRICE = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:€|\$|£|usd\b|eur\b|gbp\b|euros?\b|dollars\b))",
    re.I,
)
_SPONSOR_CUES = _compiled({
    "ad vocabulary": r"\bsponsor|\badvertis|\bdo-?follow\b|\bbanner|\bplacement|\bmedia\s*kit\b|\bbrand\s+(?:collaborations?|partnerships?|deals?)\b|\bcollaborate\s+with\s+brands\b|"
                     r"\bgesponsert|\bwerbe|\bwerbung\b|\bpatrocinad|\bpublicidad\b|\bpublicit[ée]\b|\bsponsoris|\bannonce",
    "rates": r"\bpric(?:e|es|ing)\b|\brates?\b|\bpreise?\b|\bprecios?\b|\btarifs?\b|\bkosten\b|\bpackages?\b|\bpakete?\b|\bpaquetes?\b|\bformules?\b",
    "per unit": r"\bper\s+(?:post|article|month|week|placement|link)\b|\bpro\s+(?:beitrag|artikel|monat|woche)\b|\bpor\s+(?:art[ií]culo|post|mes|semana)\b|\bpar\s+(?:article|mois|semaine)\b",
    # "Contact us for rates": the price is asked for, not printed.
    "enquiry": r"\breach\s+out\b|\bget\s+in\s+touch\b|\bcontact\s+(?:us|me)\b|\be-?mail\s+(?:us|me)\b|\binquir|\benquir|\bkontaktieren\b|\bcont[aá]ct(?:anos|enos|ame)\b|\bcontactez\b",
    "audience": r"\bmonthly\s+(?:visitors|page\s*views|readers|sessions)\b|\bpage\s*views\b|\bunique\s+visitors\b|\baudience\b|\bbesucher\b|\bseitenaufrufe\b|\bvisitas\b|\bvisiteurs\b|\blectores\b|\blecteurs\b|\btraffic\b|\breichweite\b",
})

_ROUNDUP_NAME = re.compile(
    r"\bround-?ups?\b|\blink\s+love\b|\blinks?\s+(?:of|for)\s+the\s+(?:week|month|day)\b|"
    r"\b(?:weekly|monthly|friday|saturday|sunday|monday|weekend|week(?:'s)?|month(?:'s)?)\s+(?:links|reads|reading|favou?rites|finds|picks|link\s+list|digest|recap|round-?up)\b|"
    r"\b(?:best|top|great|favou?rite)\s+(?:reads|links|posts|articles)\s+(?:of|from|this)\s+(?:the\s+)?(?:week|month)\b|"
    r"\bthis\s+week\s+in\s+\w+|\bwhat\s+(?:we|i)(?:['’]re|\s+are|\s+am|['’]m|\s+were|\s+was)?\s+reading\b|"
    r"\bthings\s+i\s+(?:read|loved|learned|liked)\s+this\s+(?:week|month)\b|\baround\s+the\s+web\b|\blinks?\s+i\s+(?:loved|liked)\b|"
    r"\bweekend\s+reading\b|\bin\s+case\s+you\s+missed\s+it\b|\blinkdump\b|"
    # link posts and newsletter issues: "Link Dump", "Link Share: July 9", "Links for Wed 7 May 2008",
    # "Links 20160216", "Links from An Event Apart", "A Fistful of Links", "Issue #12", "Newsletter May 3, 2023"
    r"\blink\s*(?:dump|share|blog|pile|drop|post|digest)s?\b|^links?\s+(?:for|from|to\s+(?:check|read)|of\s+(?:note|interest)|mentioned|worth|i\b|we\b|\d|#|no\.)|"
    r"\b(?:fistful|bunch|handful|pile|heap|batch|bundle)\s+of\s+links\b|\bissue\s*(?:#|no\.?|n[º°]\.?)?\s*\d+\b|"
    r"\bnewsletter\b.{0,40}?(?:#\s?\d|\bno\.?\s?\d|\bissue\b|\b(?:19|20)\d\d\b)|(?:#\s?\d+|\bissue\s+\d+).{0,40}?\bnewsletter\b|"
    r"\b(?:weekly|digest|edition|linkletter)\s*(?:#|no\.?|issue|n[º°])\s*\d+\b|\blink(?:age|fest|pack|s\s+du\s+jour)\b|\bbookmarks\s+for\b|"
    r"\b(?:interesting|notable|quick|daily|random|assorted|miscellaneous|misc|shared)\s+(?:links|reads|bookmarks)\b|"
    r"\blinkschau\b|\blinks?\s+(?:kw|vom)\s*\d|\bliens\s+en\s+vrac\b|\bveille\s+(?:de\s+la\s+semaine|hebdo)|"
    # reading lists and recommendations with a number or a date: "Reading List #12", "Reading list: March 2020"
    r"\breading\s+list\b.{0,30}?(?:#\s?\d|\bno\.?\s?\d|\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)|"
    r"\b(?:weekly|monthly|sunday|friday)\s+reading\s+list\b|\bwhat\s+i\s+read\b|\bstuff\s+(?:i|we)\s+(?:read|liked|loved)\b|"
    r"\b(?:recommended|good|great|interesting)\s+reads\b|\bbest\s+of\s+the\s+web\b|"
    r"\bleseliste\b|\brecomendaciones\s+de\s+la\s+semana\b|"
    r"\benlaces\s+(?:interesantes|semanales)\b|\blinks\s+de\s+la\s+semana\b|\brecopilatorio\s+de\s+enlaces\b|"
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
    # listicles of sites: "100+ Free Guest Posting Sites", "a list of photography blogs"
    r"^\d+\+?\s+(?:\w+\s+){0,4}?(?:sites|websites|blogs)\b|\blist\s+of\s+(?:\w+\s+){0,3}?(?:sites|websites|blogs|resources)\b|"
    # recommendations: "Recommended Tools", "Tools I Use", "Blogs I Read", "Other blogs", "Friends", "Sites amis"
    r"\b(?:recommended|favou?rite|essential|useful)\s+(?:tools|books|blogs|podcasts|apps|sites|websites|reading)\b|"
    r"\b(?:tools|apps|books|blogs|sites|websites|podcasts)\s+(?:i|we)\s+(?:use|read|follow|like|love|recommend)\b|"
    r"\bother\s+(?:blogs|sites|websites)\b|^(?:friends|links?\s+to\s+friends|webring|bookmarks|weblinks|liens|enlaces|links\s+&\s+resources)$|"
    r"\bsites\s+amis\b|\bsitios\s+(?:recomendados|de\s+inter[eé]s)\b|\bempfehlungen\b|\bweblinks\b|"
    r"\bn(?:ü|ue)tzliche\s+(?:links|seiten|websites)\b|\blinkliste\b|\blinksammlung\b|\bressourcen\b|\bweiterf(?:ü|ue)hrende\s+links\b|"
    r"\benlaces\s+(?:[uú]tiles|de\s+inter[eé]s|recomendados)\b|\brecursos\b|"
    r"\bliens\s+utiles\b|\bressources\b|\bsites\s+recommand[ée]s\b",
    re.I,
)
_RESOURCES_SLUG = re.compile(
    r"^(?:resources?|[\w-]*-resources|resources-[\w-]+|useful-links|helpful-links|links|[\w-]+-links|links-[\w-]+|blogroll|"
    r"resource-list|recommended-[\w-]+|tools|friends|webring|weblinks|bookmarks|liens|sites-amis|empfehlungen|"
    r"ressourcen|nuetzliche-links|linkliste|linksammlung|recursos|[\w-]*-recursos|recursos-[\w-]+|enlaces(?:-utiles|-de-interes)?|"
    r"ressources|[\w-]*-ressources|liens-utiles)(?:\.html?|\.php)?$",
    re.I,
)

_ABOUT_NAME = re.compile(
    r"^(?:about(?:\s+(?:us|me|the\s+\w+|this\s+(?:blog|site)|[\w.\-]+(?:\s+[\w.\-]+)?))?|our\s+story|my\s+story|who\s+we\s+are|"
    r"meet\s+the\s+team|the\s+team|our\s+team|(?:meet\s+)?(?:our|the)\s+staff|staff|our\s+people|"
    r"(?:ü|ue)ber\s+(?:uns|mich|den\s+verein)|wer\s+wir\s+sind|wir\s+(?:ü|ue)ber\s+uns|(?:der\s+|unser\s+)?verein|(?:das|unser)\s+team|"
    r"sobre\s+(?:nosotros|m[ií])|acerca\s+de(?:\s+(?:m[ií]|nosotros))?|de\s+m[ií]|con[óo]cenos|nuestro\s+equipo|"
    r"qui[eé]nes\s+somos|qui[eé]n\s+soy|nosotros|[àa]\s+propos(?:\s+de\s+(?:nous|moi))?|qui\s+sommes[-\s]nous|qui\s+suis[-\s]je|"
    r"(?:l['’]|notre\s+)[ée]quipe)$",
    re.I,
)
_ABOUT_SLUG = re.compile(
    r"^(?:about|about-us|about-me|aboutus|our-story|who-we-are|team|our-team|meet-the-team|staff|our-staff|ueber-uns|uber-uns|"
    r"ueber-mich|verein|der-verein|ueber-den-verein|das-team|unser-team|sobre-nosotros|sobre-mi|acerca-de|acerca|conocenos|"
    r"quienes-somos|nosotros|nuestro-equipo|equipo|a-propos|apropos|qui-sommes-nous|qui-suis-je|equipe|notre-equipe|"
    r"about\.html?|about\.php)$",
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


def _wfu_name(page: Page) -> tuple[str, bool]:
    """(evidence, is an invitation) when the page is named as a write-for-us page, else ('', False).

    An invitation is a name that can only be one ("Write for Us", "Guest Post With Us — $10",
    /write-for-us/) and is most of its title segment or h1 (not "Guest Posting Guidelines
    Every Blogger Should Read")."""
    for where, name in _page_names(page):
        for text in _COLON.split(name):  # "Call for Writers: Share Your Experiences..."
            words = text.split()
            m = _WFU_INVITATION.search(text) if len(words) <= 9 else None
            if m and len(words) - len(m.group(0).split()) <= _INVITATION_EXTRA_WORDS:
                return f'{where}: "{name[:120]}"', True
    slugs = path_slugs(page.path)
    if slugs and _WFU_INVITATION_SLUG.match(slugs[-1]):
        return f"url: {page.path[:120]}", True
    return _name_hit(page, _WFU_NAME, _WFU_SLUG), False


def _named_price(page: Page) -> str:
    """A price in the page's title or h1 ("Guest Post With Us — $10"), else ''."""
    for _, text in _page_names(page):
        m = _PRICE.search(text)
        if m:
            return m.group(0)
    return ""


def _cues(text: str, cues: dict[str, re.Pattern[str]], enough: int = 99) -> list[str]:
    """The cues found in text, in the order given, stopping at ``enough`` (a cue scans the whole
    main text: on a long page each costs 0.1-0.4 ms)."""
    found = []
    for name, pattern in cues.items():
        m = pattern.search(text)
        if m:
            found.append(f"{name} ({m.group(0).strip()[:30]})")
            if len(found) >= enough:
                break
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


def _plain_quotes(text: str) -> str:
    """Typographic apostrophes as ASCII ones ("don’t" is "don't"; the same length, so offsets stay).
    (str.replace, not str.translate: ten times faster on a page's text.)"""
    return text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")


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
            if _PARTIAL_AFTER.match(text, m.end(), min(len(text), m.end() + 40)):
                continue  # refuses some topics or senders, not guest posts as such
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
    # Named with an invitation ("Write for Us", "Become an author"): body cues of guidelines suffice.
    # Named ambiguously ("Guest Post", "Contribute", /submissions/): the site must also speak ("we
    # accept", "I will review", "want to contribute?"), which an article *about* guest posting does not.
    # Named only by an h2 of the main content: the voice and four cues.
    wfu_name, invited = _wfu_name(page)
    name, need, min_words = wfu_name, 2, 20 if invited else 40
    if not name:
        name = _name_hit(page, _WFU_NAME, None, use_h2=True, max_words=7)
        need = 4
    if name and not reject and words >= min_words:
        text = _plain_quotes(low_main)
        voice = _cues(text, {"site voice": _WFU_VOICES["site voice"]} if need == 4 else _WFU_VOICES, enough=1)
        if invited or voice:
            cues = voice + _cues(text, _WFU_CUES, enough=4)
            if len(cues) >= need:
                k.is_write_for_us = True
                k.evidence["write_for_us"] = f"{name}; cues: {', '.join(cues[:4])}"

    # -- sponsored / advertise ----------------------------------------------------
    name = _name_hit(page, _SPONSOR_NAME, _SPONSOR_SLUG)
    if name:
        cues = _cues(low_main, _SPONSOR_CUES)
        price = _PRICE.search(main)
        has_ad_vocab = any(c.startswith("ad vocabulary") for c in cues)
        asks = any(c.startswith("enquiry") for c in cues)
        if has_ad_vocab and (price or asks or len(cues) >= 3):
            k.is_sponsored = True
            extra = f"price {price.group(0)}" if price else ", ".join(cues[:3])
            k.evidence["sponsored"] = f"{name}; {extra}"
    elif wfu_name and (price := _named_price(page)):
        # A guest post sold for a price in the page's own name ("Guest Post With Us — $10").
        k.is_sponsored = True
        k.evidence["sponsored"] = f"{wfu_name}; price {price}"

    # -- roundup / resources: pages of links to other sites -------------------------
    # (The links are counted only on a page so named: most pages are neither.)
    name = _name_hit(page, _ROUNDUP_NAME, _ROUNDUP_SLUG, max_words=12, slug_search=True)
    if name:
        ext_count, ext_sites, shop = _link_stats(page)
        dated = bool(published) or bool(_RECURRING.search(page.title + " " + page.path)) or bool(
            re.search(r"/(?:19|20)\d\d/", page.path)
        )
        if dated and ext_sites >= 5 and ext_count >= 6 and shop * 2 < ext_count:
            k.is_roundup = True
            k.evidence["roundup"] = f"{name}; {ext_count} links to {ext_sites} other sites" + (
                f"; dated {published}" if published else ""
            )
    if not k.is_roundup:
        # A resources page may also send readers to books in a shop; a roundup of shop links is a product list.
        name = _name_hit(page, _RESOURCES_NAME, _RESOURCES_SLUG, max_words=9)
        if name:
            ext_count, ext_sites, _ = _link_stats(page)
            if ext_sites >= 5 and ext_count >= 6:
                k.is_resources = True
                k.evidence["resources"] = f"{name}; {ext_count} links to {ext_sites} other sites"

    # -- about ----------------------------------------------------------------------------
    name = _about_name(page)
    if name:
        k.is_about_page = True
        k.evidence["about_page"] = name


def _about_name(page: Page) -> str:
    """Evidence that the page is the site's about page, else ''. The home page is the home page,
    even when its one heading says "About me" (a link-in-bio page)."""
    if page.path in ("/", "/index.html", "/index.htm", "/index.php"):
        return ""
    for where, text in _page_names(page):
        if len(text.split()) <= 6 and _ABOUT_NAME.match(text):
            return f'{where}: "{text[:120]}"'
    slugs = path_slugs(page.path)
    if slugs and _ABOUT_SLUG.match(slugs[-1]):
        return f"url: {page.path[:120]}"
    return ""
