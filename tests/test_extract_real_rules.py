"""What real pages taught the extractors (the dev half of tests/fixtures/real), each rule pinned on a small page.

The corpus figures say how well the rules do; these say what each rule is, so
a change that breaks one fails here by name.
"""

from __future__ import annotations

import pytest

from linkspider.extract import extract_page

URL = "https://www.ironpulse-fitness.com/contact/"


def emails(html: str, url: str = URL) -> list[str]:
    return extract_page(f"<html><body>{html}</body></html>", url)["emails"]


# ---------------------------------------------------------------- emails
@pytest.mark.parametrize("html", [
    '<p>Mastodon: @coach@fosstodon.org</p>',  # a Fediverse handle, never an address
    '<p>🐘 <a href="https://mastodon.la/@coach">@coach@mastodon.la</a></p>',
    '<pre><code>git config --global user.email "testuser1@testgit.com"</code></pre>',  # a code sample
    '<p>Run <code>scp -r ~/temp me@my.server.com:/srv/repo</code></p>',
    '<p>strTo = "recipient@mail.com"</p>',  # example roles, whatever the domain
    '<p>Please send mail to george@contoso.com.</p>',  # Microsoft's fictional company
    '<p>My email address is abc@def.com (I made it up).</p>',
    '<p>An Empfänger: max.mustermann@web.de</p>',
])
def test_addresses_that_are_no_one_to_write_to(html: str) -> None:
    assert emails(html) == []


def test_a_code_sample_may_still_hold_the_sites_own_address() -> None:
    assert emails('<pre><code>mailto = "press@ironpulse-fitness.com"</code></pre>') == ["press@ironpulse-fitness.com"]


def test_name_at_this_domain_is_the_pages_own_site() -> None:
    assert emails("<p>Email me at tim @ thisdomain for my resume.</p>") == ["tim@ironpulse-fitness.com"]


def test_an_address_split_by_markup_is_read_whole() -> None:
    assert emails("<p>Kontakt: info <i>@</i> kulturverein-moabit.<i>de</i></p>") == ["info@kulturverein-moabit.de"]


# ---------------------------------------------------------------- social profiles
def social(html: str, url: str = "https://www.ironpulse-fitness.com/blog/squats/") -> list[str]:
    return extract_page(f"<html><head><title>Squats</title></head><body>{html}</body></html>", url)["social"]


def test_profile_urls_real_sites_use() -> None:
    footer = ('<footer><a href="https://www.facebook.com/people/Iron-Pulse/100083377680409">f</a>'
              '<a href="https://www.linkedin.com/pub/jane-doe/15/4ba/36">l</a>'
              '<a href="https://www.youtube.com/ironpulsefitness">y</a>'
              '<a href="https://youtube.de/@ironpulse">y2</a>'
              '<a href="https://de-de.facebook.com/ironpulse.berlin/">f2</a>'
              '<a href="https://www.threads.net/@ironpulse">t</a>'
              '<a href="https://allthingstech.social/@ironpulse">m</a></footer>')
    assert social(footer) == [
        "https://facebook.com/people/iron-pulse/100083377680409", "https://linkedin.com/pub/jane-doe/15/4ba/36",
        "https://youtube.com/ironpulsefitness", "https://youtube.com/@ironpulse", "https://facebook.com/ironpulse.berlin",
        "https://threads.com/@ironpulse", "https://allthingstech.social/@ironpulse"]


def test_a_link_written_without_its_scheme_is_still_the_profile() -> None:
    page = '<main><h1>Contact</h1><ul><li>LinkedIn: <a href="www.linkedin.com/in/janedoe">www.linkedin.com/in/janedoe</a></li></ul></main>'
    assert social(page, "https://www.ironpulse-fitness.com/contact/") == ["https://linkedin.com/in/janedoe"]


def test_mentions_in_running_text_and_widgets_are_other_peoples() -> None:
    sidebar = ('<aside><p>Tweets: ready for #hackathon <a href="https://twitter.com/salesforce">@salesforce</a>'
               ' and <a href="https://twitter.com/trailhead">@trailhead</a></p></aside>'
               '<footer><p>Theme made with love by <a href="https://github.com/themeauthor">Theme Author</a></p></footer>')
    assert social(sidebar) == []


def test_the_sites_own_lines_count_and_a_list_of_other_channels_does_not() -> None:
    own = ('<main><h3>Folge uns auf Instagram:</h3><p><a href="https://www.instagram.com/ironpulse_berlin/">'
           '@ironpulse_berlin</a></p><p>Let me know what you think on <a href="https://twitter.com/ironpulse">'
           'Twitter (@ironpulse)</a>.</p></main>')
    assert social(own) == ["https://instagram.com/ironpulse_berlin", "https://x.com/ironpulse"]
    channels = "".join(f'<li><a href="https://www.youtube.com/@channel{i}">Channel {i}</a></li>' for i in range(9))
    assert social(f"<main><h1>Blogroll</h1><ul>{channels}</ul></main>") == []


# ---------------------------------------------------------------- contact pages and forms
@pytest.mark.parametrize("title,path", [("Impressum | Kulturinsel", "/impressum/"), ("Mentions légales", "/m/"),
                                        ("Imprint", "/imprint.html"), ("Say hi", "/s/")])
def test_imprints_and_other_names_of_a_contact_page(title: str, path: str) -> None:
    facts = extract_page(f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
                         "<p>Verantwortlich: Jane Doe</p></main></body></html>", f"https://kulturinsel.de{path}")
    assert facts["is_contact_page"], title


def test_hire_me_is_a_contact_page_only_when_it_gives_a_way_to_reach_someone() -> None:
    page = "<html><head><title>Hire me</title></head><body><main><h1>Hire me</h1><p>{}</p></main></body></html>"
    assert extract_page(page.format("Write to jane@janedoe.dev"), "https://janedoe.dev/hire/")["is_contact_page"]
    assert not extract_page(page.format("Packages from $99 a month."), "https://janedoe.dev/hire/")["is_contact_page"]


@pytest.mark.parametrize("form", [
    '<form action="https://formspree.io/f/xyz" method="POST"><input name="_replyto"><button>Send</button></form>',
    '<form name="contact" data-netlify="true"><input name="who"><button>Send</button></form>',
    ('<form class="wpcf7-form"><input name="your-name"><input type="tel" name="tel-1">'
     '<input type="email" name="email-2"></form>'),  # a call-back form: no message field
    ('<form class="v-form"><label>E-Mail</label><input id="i1"><label>Nachricht</label>'
     '<textarea id="i2"></textarea></form>'),  # fields named only by their labels
    '<iframe src="https://forms.office.com/Pages/ResponsePage.aspx?id=abc"></iframe>',
    '<script src="https://letterbird.co/embed/v1.js" data-letterbird-user="jane"></script>',
])
def test_contact_forms_real_sites_use(form: str) -> None:
    assert extract_page(f"<html><body><main>{form}</main></body></html>", URL)["contact_form"]


def test_a_newsletter_sign_up_is_still_no_contact_form() -> None:
    form = ('<form class="newsletter-signup" action="https://formspree.io/f/xyz"><input name="name">'
            '<input type="email" name="email"></form>')
    assert not extract_page(f"<html><body>{form}</body></html>", URL)["contact_form"]


# ---------------------------------------------------------------- authors
@pytest.mark.parametrize("byline,want", [
    ('<p class="byline"><time>March 5, 2024</time></p>', []),  # a date-only byline names nobody
    ('<span class="author">Post author:<a href="/a/">admin</a></span>', []),
    ('<span class="author">Ignacio J. Perez Portal Dec</span>', ["Ignacio J. Perez Portal"]),
    ('<span class="author">More by Joshua Wolfson</span>', ["Joshua Wolfson"]),
    ('<span class="author">Syslifters GmbH</span>', []),
])
def test_bylines(byline: str, want: list[str]) -> None:
    facts = extract_page(f"<html><head><title>Squats | Iron Pulse</title></head><body><article>{byline}"
                         "<p>Text.</p></article></body></html>", "https://ironpulse.com/squats/")
    assert facts["authors"] == want


def test_the_sites_name_as_author_names_nobody_but_on_a_personal_site() -> None:
    page = ('<html><head><title>{t}</title><meta property="og:site_name" content="{n}"><meta name="author" '
            'content="{n}"></head><body><p>Text.</p></body></html>')
    assert extract_page(page.format(t="Git basics | PowerShell Magazine", n="PowerShell Magazine"),
                        "https://powershellmagazine.com/git/")["authors"] == []
    assert extract_page(page.format(t="Bash prompt - Mike West", n="Mike West"),
                        "https://mikewest.org/bash/")["authors"] == ["Mike West"]
