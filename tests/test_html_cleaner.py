"""The HTML cleaner on the page shapes where a container-scoring cleaner loses the story (issue 14).

Each test is one failure family, on a page written for the test the way such sites write them: site
navigation, a sidebar of teasers, a footer, inline scripts. A test asserts which story lines come out
and which chrome does not.
"""

from __future__ import annotations

import re

from newsgrep.index.html import read_html

NAV = """<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/music">Music</a></li><li><a href="/sport">Sport</a></li><li><a href="/about">About us</a></li></ul>
</nav></header>"""
SIDEBAR = """<aside class="sidebar"><h3>Most read</h3><ul>
<li><a href="/1">Council approves the new budget after a long night of debate</a></li>
<li><a href="/2">Storm warning issued for the coast as the winds pick up again</a></li>
<li><a href="/3">Local bakery wins the national award for the second year in a row</a></li></ul></aside>"""
FOOTER = """<footer><p>© 2024 The Evening Courier. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy Policy</a></li><li><a href="/terms">Terms of use</a></li></ul></footer>"""


def site(story: str, *, title: str = "Evening Courier", wrapper: str = "<main>{}</main>", extra: str = "") -> str:
    """A page of the site with `story` in its body."""
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:title" content="{title}"></head><body>{NAV}{wrapper.format(story)}{SIDEBAR}{extra}{FOOTER}
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</body></html>"""


def lines_of(html: str) -> list[str]:
    return read_html(html).text.split("\n")


# --- stories made of lists, tables and schedules -------------------------------------------------------

TOUR = [
    "Fri 12 July – Glasgow, Barrowland Ballroom",
    "Sat 13 July – Manchester, Albert Hall",
    "Mon 15 July – Bristol, O2 Academy",
    "Wed 17 July – London, Roundhouse",
    "Thu 18 July – Brighton, Dome",
    "Sat 20 July – Dublin, Olympia Theatre",
]


def test_a_story_that_is_mostly_a_list_keeps_its_list() -> None:
    story = """<article><h1>The Lanterns announce summer tour</h1>
<p>The Lanterns will play six nights across Britain and Ireland this July, their first tour since 2019.</p>
<ul>""" + "".join(f"<li>{d}</li>" for d in TOUR) + """</ul>
<p>Tickets go on sale on Friday at 9am.</p></article>"""
    text = read_html(site(story, title="The Lanterns announce summer tour")).text
    for date in TOUR:
        assert date in text
    assert "their first tour since 2019" in text
    assert "Council approves" not in text and "All rights reserved" not in text


def test_a_match_report_of_stat_lines_is_not_cut_to_one_paragraph() -> None:
    stats = ["Possession: 58% – 42%", "Shots: 17 – 6", "Shots on target: 7 – 2", "Corners: 9 – 3",
             "Fouls: 11 – 14", "Yellow cards: 1 – 3", "Attendance: 41,112"]
    story = """<div class="article-body"><p>Rovers made it five wins in a row with a comfortable victory at the
Park, where the visitors barely left their own half after the break.</p>
<table>""" + "".join(f"<tr><td>{row}</td></tr>" for row in stats) + "</table></div>"
    text = read_html(site(story)).text
    assert "five wins in a row" in text
    assert all(row in text for row in stats)


# --- prose the stop-word list does not know ------------------------------------------------------------

KOREAN = [
    "서울시는 3일 내년부터 시내버스 요금을 200원 인상한다고 밝혔다. 요금 인상은 8년 만이다.",
    "시는 연료비와 인건비가 크게 올라, 운송 적자가 한계에 이르렀다고 설명했다.",
    "시민단체는 서민 부담이 커진다며, 단계적 인상을 요구했다. 시의회는 다음 달 최종 결정을 내린다.",
]
KOREAN_MENU = """<ul class="gnb"><li><a href="/">홈</a></li><li><a href="/p">정치</a></li>
<li><a href="/e">경제</a></li><li><a href="/s">사회</a></li></ul>"""


def test_korean_prose_written_with_latin_stops_and_commas_is_prose() -> None:
    story = "<div id='articleBody'>" + "".join(f"<p>{p}</p>" for p in KOREAN) + "</div>"
    page = site(story, extra=f"<div class='ranking'><h3>많이 본 뉴스</h3>{KOREAN_MENU}</div>")
    assert lines_of(page) == KOREAN


POLISH = [
    "Rada miasta zdecydowała we wtorek, że nowa linia tramwajowa na Ochotę powstanie do końca 2027 roku.",
    "Koszt inwestycji oszacowano na 480 mln zł, z czego połowę pokryją środki unijne, a resztę budżet miasta.",
    "Mieszkańcy ulicy Grójeckiej od lat czekają na to połączenie, bo autobusy stoją w korkach co rano.",
    "Radni opozycji chcieli przesunąć pieniądze na remonty szkół, ale ich wniosek nie zyskał poparcia.",
]


def test_a_language_the_stop_words_miss_is_read_with_its_own_short_words() -> None:
    story = "<div class='text'>" + "".join(f"<p>{p}</p>" for p in POLISH) + "</div>"
    menu = "<div class='tags'>" + " ".join(f"<a href='/t{i}'>Tag {w}</a>" for i, w in
                                            enumerate("Warszawa Ochota tramwaje budżet radni".split())) + "</div>"
    assert lines_of(site(story, extra=menu)) == POLISH


# --- the story's wrapper named like chrome, or inside a <form> -------------------------------------------

STORY = [
    "The harbour authority said on Tuesday that the old ferry terminal will close at the end of the month.",
    "The building, which opened in 1964, needs repairs that would cost more than a new terminal, it said.",
    "Ferries to the islands will leave from the container quay until the new terminal opens next spring.",
    "Passengers with cars are asked to arrive forty minutes before departure while the works go on.",
]
PARAS = "".join(f"<p>{p}</p>" for p in STORY)


# The right-hand rail: links to the site's sections and one paragraph about the paper.
RAIL = """<div class="rail"><ul><li><a href="/ferries">Ferry times and fares for the islands</a></li>
<li><a href="/weather">Weather for the coast and the islands this week</a></li>
<li><a href="/obituaries">Obituaries and family notices from the island</a></li>
<li><a href="/jobs">Jobs on the island and the mainland this month</a></li></ul>
<p>The Evening Courier has been published on the island every weekday since 1887, and it is owned by a
trust that was set up by its readers when the paper was sold in 1996.</p></div>"""


MORE = [
    "The harbour master said the closure had been planned for two years and would not delay any sailing.",
    "Islanders who work on the mainland said they would need a bus from the quay to the town centre.",
    "The council said a shuttle bus would run every twenty minutes from the first sailing to the last.",
]


def test_a_story_wrapper_named_widget_survives_a_page_heavy_with_scripts() -> None:
    scripts = "<script>" + "var config = {};" * 3000 + "</script>"
    story = PARAS + "".join(f"<p>{p}</p>" for p in MORE)
    page = site(story, wrapper='<div class="td-widget-wrap">{}</div>', extra=RAIL + scripts)
    assert lines_of(page) == STORY + MORE


def test_a_page_wrapped_in_one_form_keeps_its_story() -> None:
    page = site(PARAS, wrapper='<form id="aspnetForm" method="post"><div class="content">{}</div>'
                               '<input type="hidden" name="__VIEWSTATE" value="abc"></form>', extra=RAIL)
    assert lines_of(page) == STORY


# --- link-only story sentences: the second opinion ----------------------------------------------------------

# A site that links every phrase of its stories to a tag page: to the container scores each paragraph is
# a link list, and the rail's one paragraph about the paper looks like the story.
LINKED = [
    'The [town council] voted on [Tuesday night] to [close the old pier] for repairs.',
    '[Mayor Ann Hale] said [the pier had been unsafe] since the [winter storms].',
    'The [repair works] will cost [about £2.4m] and [should finish in 2026].',
    '[Local fishermen] said they would [moor in the harbour] until [the pier reopens].',
    'The [pier café] will [move to the promenade] for [the summer season].',
    '[Engineers from the county] will [inspect the piles] [in March].',
    'The [island ferry] will [berth at the north quay] while [the crane is moved].',
    '[Traders on the front] asked for [new signs to the beach] before [the Easter holidays].',
    'The [lifeboat crew] will [launch from the slipway] at [the east end] instead.',
    '[The angling club] said its [summer contest] would [move to the beach].',
    'A [public fund] for [the pier lamps] has [raised £18,000 so far].',
    'The [consultation on the design] [opens next week] at [the library].',
]


def linked(sentence: str) -> str:
    """A sentence with each [bracketed] phrase as a link to its tag page."""
    return re.sub(r"\[(.*?)\]", lambda m: f'<a href="/tag/{m[1].replace(" ", "-")}">{m[1]}</a>', sentence)


def test_a_story_of_linked_sentences_is_found_by_the_second_opinion() -> None:
    story = "<article class='story'>" + "".join(f"<p>{linked(p)}</p>" for p in LINKED) + "</article>"
    lines = lines_of(site(story, extra=RAIL))
    assert lines[0] == "The town council voted on Tuesday night to close the old pier for repairs."
    assert lines[-1] == "The consultation on the design opens next week at the library."
    assert len(lines) == len(LINKED)
    assert not any("Evening Courier" in line for line in lines)


# --- trimming inside the right container -------------------------------------------------------------------

def test_short_first_and_last_lines_of_the_story_are_kept() -> None:
    first, last = "Silence.", "“We will be back,” she said."
    story = f"<article><p>{first}</p>{PARAS}<p>{last}</p></article>"
    assert lines_of(site(story)) == [first, *STORY, last]


def test_a_widget_inside_the_story_does_not_cut_it_in_two() -> None:
    widget = "<div><span>Ferry times</span><span>Updated 10:30</span></div>"
    story = f"<article>{''.join(f'<p>{p}</p>' for p in STORY[:2])}{widget}" \
            f"{''.join(f'<p>{p}</p>' for p in STORY[2:])}</article>"
    text = read_html(site(story)).text
    assert all(p in text for p in STORY)


# --- title-case list items are story text on HTML pages -----------------------------------------------------

LINEUP = ["Arctic Monkeys Close The Pyramid Stage On Friday", "Dua Lipa Headlines Saturday Night",
          "Elton John Plays His Final UK Show Sunday", "Lizzo Opens The Other Stage At Noon"]


def test_title_case_items_of_a_line_up_are_kept() -> None:
    story = """<article><p>Organisers confirmed the full line-up for this year's festival on Thursday, with
more than eighty acts across five stages over the weekend.</p><ul>""" + \
        "".join(f"<li>{item}</li>" for item in LINEUP) + """</ul>
<p>Weekend tickets sold out in forty minutes last autumn, and resale tickets go on sale in April.</p></article>"""
    text = read_html(site(story)).text
    assert all(item in text for item in LINEUP)


# --- teaser cards are not the story ------------------------------------------------------------------------

def test_teaser_cards_with_summaries_are_not_taken_for_the_story() -> None:
    cards = "".join(
        f"""<div class="card"><h3><a href="/s{i}">{head}</a></h3><p>{summary}</p></div>"""
        for i, (head, summary) in enumerate([
            ("Ferry fares rise again", "Operators say fuel costs leave them no choice, and the rise will "
                                       "apply from the first of the month on every route."),
            ("Island school to close", "Parents were told on Monday that the school will merge with the one "
                                       "on the mainland after the summer holidays."),
            ("New bridge plan revived", "The council has asked engineers to look again at a fixed link, "
                                        "twenty years after the first plan was shelved."),
        ]))
    page = site(f"<article>{PARAS}</article>", extra=f"<section class='more-news'>{cards}</section>")
    assert lines_of(page) == STORY


def test_a_listing_of_teasers_only_is_never_emptied() -> None:
    cards = "".join(f"<div class='card'><h3><a href='/s{i}'>Story number {i} of the day</a></h3>"
                    f"<p>A short summary of story {i}, which is about something that happened today.</p></div>"
                    for i in range(6))
    assert read_html(site(cards)).text


# --- tables, code and text decoded twice -------------------------------------------------------------

RANKING = [
    ("1", "Chicago Booth School of Business", "1", "37% / 40%", "$175,000"),
    ("2", "Kellogg School of Management", "3 (tie)", "38% / 48%", "$165,000"),
    ("3", "Wharton School", "1 (tie)", "35% / 50%", "$175,000"),
    ("4", "MIT Sloan School of Management", "5 (tie)", "40% / 46%", "$165,000"),
    ("5", "Harvard Business School", "5 (tie)", "38% / 46%", "$172,877"),
]


def test_a_ranking_table_keeps_every_row_as_one_line() -> None:
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in RANKING)
    story = f"""<article><h1>MBA rankings 2024</h1>
<p>US News has been the ranking king for a long time, and so we present its data for the top programs here.</p>
<table><thead><tr><th>Rank</th><th>School</th><th>Previous</th><th>International / Women</th>
<th>Median salary</th></tr></thead><tbody>{rows}</tbody></table>
<p>See details and dates on application deadlines in our guide to the admissions season.</p></article>"""
    lines = lines_of(site(story, title="MBA rankings 2024"))
    for row in RANKING:
        assert " | ".join(row) in lines  # the numbers stay, each row in its order, one line per row
    assert "Rank | School | Previous | International / Women | Median salary" in lines
    assert "Council approves the new budget after a long night of debate" not in lines


def test_a_layout_table_still_keeps_its_cells_apart() -> None:
    menu = "".join(f'<p><a href="/{n}">Section {n}</a></p>' for n in range(12))
    story = "".join(f"<p>Paragraph {n} of the story, which the paper set in the middle column of its layout "
                    f"table as papers did in those years.</p>" for n in range(8))
    page = f"""<html><body><table><tr><td>{menu}</td><td>{story}</td>
<td><p>Advertise with us and reach the readers of the county.</p></td></tr></table></body></html>"""
    text = read_html(page).text
    assert "Paragraph 0 of the story" in text and "Paragraph 7 of the story" in text
    assert "Section 3" not in text and "|" not in text


def test_code_in_a_tutorial_keeps_its_lines_and_comments() -> None:
    story = """<article><h1>Git commands I use every day</h1>
<p>This is the list of git commands that I keep coming back to, with a note on what each one does.</p>
<pre><code><span class="comment"># initialize git</span>
git init
<span class="comment"># view the state of the repo</span>
git status
<span class="comment"># stage all of your modified files for commit</span>
git add -A</code></pre>
<p>That is all you need for most days; the rest is in the manual.</p></article>"""
    lines = lines_of(site(story, title="Git commands I use every day"))
    assert lines[lines.index("# initialize git"):lines.index("git add -A") + 1] == [
        "# initialize git", "git init", "# view the state of the repo", "git status",
        "# stage all of your modified files for commit", "git add -A"]


def test_text_decoded_twice_is_read_back() -> None:
    story = """<article><h1>How much does pet insurance cost?</h1>
<p>But here\u00e2\u0080\u0099s the good news: pet insurance doesn\u00e2\u0080\u0099t have to be a wallet-buster.
\u00c2\u00a0
It\u00e2\u0080\u0099s surprisingly affordable \u00e2\u0080\u0094 and customizable to fit your budget.</p>
<p>Our caf\u00c3\u00a9 owners pay less than you would think, and so do most of our readers with a dog.</p></article>"""
    text = read_html(site(story, title="Pet insurance")).text
    assert "But here’s the good news: pet insurance doesn’t have to be a wallet-buster." in text
    assert "Our café owners pay less" in text and "\u00e2" not in text


def test_french_text_is_not_taken_for_text_decoded_twice() -> None:
    story = """<article><h1>Le menu</h1><p>\u00c0 la carte\u00a0: cr\u00e8me br\u00fbl\u00e9e, p\u00e2t\u00e9 et
g\u00e2teau \u00e2g\u00e9, servis \u00e0 S\u00c3O PAULO comme \u00e0 Paris,
dit le chef \u00e0 nos lecteurs.</p></article>"""
    assert "\u00e0 S\u00c3O PAULO comme \u00e0 Paris" in read_html(site(story, title="Le menu")).text


# --- a wrapper that adds prose after the story ---------------------------------------------------------

def test_the_bio_and_teasers_after_the_story_in_its_wrapper_are_left_out() -> None:
    paragraphs = [f"Paragraph {n} of the guide explains how to plan the event, and it says what the team "
                  f"should do in the weeks before the day so that nothing is left to chance." for n in range(10)]
    story = ('<div class="post-wrap"><div class="post-entry">'
             + "".join(f"<p>{p}</p>" for p in paragraphs)
             + """</div><div class="writer"><p>Lauren has written for the blog since 2018. She is a writer and
editor with a background in journalism, and she frequently covers events and the people who run them.</p></div>
<div class="more"><h3>Stay in the loop</h3><p>Get the tips our readers like best, and the news of our products
and plugins, in one short letter that we send you every month.</p></div></div>""")
    text = read_html(site(story, title="How to plan an event")).text
    assert text.split("\n") == paragraphs


def test_the_lead_before_the_body_of_a_story_is_kept() -> None:
    body = [f"Paragraph {n} of the report tells what the council decided on the new budget, and what the "
            f"members said about it in the debate that lasted until late at night." for n in range(12)]
    lead = "The council approved the budget after a long night of debate, with two members voting against it."
    story = (f'<div class="story"><p class="lead">{lead}</p><div class="story-text">'
             + "".join(f"<p>{p}</p>" for p in body) + "</div></div>")
    assert read_html(site(story, title="Council passes budget")).text.split("\n") == [lead, *body]


# --- the same story rendered twice ---------------------------------------------------------------------

REMODEL = [
    "Remodeling a kitchen in the valley costs more than it did five years ago, and the gap keeps growing.",
    "Cabinets and counters take the largest share of the budget, often a third of the whole bill.",
    "Labour is the second cost: a crew of three works about six weeks on an average kitchen.",
    "Permits add a few hundred dollars and a wait of two to four weeks before work can start.",
]


def test_a_story_rendered_twice_for_desktop_and_phone_comes_out_once() -> None:
    copy = "<h2>What a kitchen costs</h2>" + "".join(f"<p>{p}</p>" for p in REMODEL)
    story = (f'<article><h1>Kitchen remodel costs</h1><div class="layout-desktop">{copy}</div>'
             f'<div class="layout-phone">{copy}</div></article>')
    text = read_html(site(story, title="Kitchen remodel costs")).text
    for paragraph in REMODEL:
        assert text.count(paragraph) == 1
    assert text.count("What a kitchen costs") == 1


def test_a_line_the_story_repeats_under_every_item_stays() -> None:
    items = "".join(f"<h3>Course {n}: Photo editing level {n}</h3><p>Lessons on Tuesday evenings in room {n}.</p>"
                    f"<p>Note: students need a basic understanding of computers before they enrol.</p>"
                    for n in range(1, 5))
    story = f"<article><h1>Evening courses</h1><p>The centre runs four photo courses this autumn.</p>{items}</article>"
    text = read_html(site(story, title="Evening courses")).text
    assert text.count("Note: students need a basic understanding of computers before they enrol.") == 4


# --- teaser cards whose links show no text ---------------------------------------------------------------

PLANNER = [
    "Hiring an event planner saves more money than it costs, say the venues we asked this spring.",
    "Planners know which suppliers deliver on time, and they book them months before anyone else.",
    "They also carry the stress of the day, so the hosts can talk to their guests instead of the caterer.",
    "A planner for a party of fifty charges between eight hundred and two thousand dollars.",
    "Most of them offer a first meeting for free, where the budget and the date are settled.",
]
RELATED_SUMMARIES = [
    "Our new ticketing plugins replace the old ones, and here is what changes for your site this winter.",
    "Seating charts have arrived: guests can now pick their own seat when they buy a ticket online.",
    "A smooth registration form keeps attendees coming back, and these five changes make it smoother.",
]


def test_a_row_of_picture_teasers_after_the_story_is_left_out() -> None:
    cards = "".join(
        f'<article class="loop-entry"><a href="/blog/post-{n}" aria-label="Post {n}"><img src="/p{n}.jpg" alt=""></a>'
        f'<header><h3><a href="/blog/post-{n}">Post number {n} of the blog</a></h3></header>'
        f"<p>{summary}</p></article>"
        for n, summary in enumerate(RELATED_SUMMARIES))
    story = ('<div class="content-wrap"><article><h1>Why hire an event planner</h1>'
             + "".join(f"<p>{p}</p>" for p in PLANNER)
             + '</article></div><div class="row-layout"><h2>You might also like</h2>'
             + f'<div class="carousel">{cards}</div></div>')
    text = read_html(site(story, title="Why hire an event planner")).text
    for paragraph in PLANNER:
        assert paragraph in text
    for summary in RELATED_SUMMARIES:
        assert summary not in text


# --- a closing list of teaser cards in the story's own container -------------------------------------------

CHECKLIST = [
    "A wedding of a hundred guests takes about a year to plan, and the venue is the first thing to book.",
    "Photographers and bands in demand are booked eighteen months ahead, so ask them right after the venue.",
    "Send the invitations eight weeks before the day and ask for answers four weeks before it.",
    "The week before, confirm every supplier by phone and pack an emergency kit for the day itself.",
]
IDEAS = [
    ("The ultimate wedding budget", "A full breakdown of what a wedding costs, item by item, and each item's share."),
    ("A ninety day planning plan", "Short on time? This plan fits every task of a wedding into three busy months."),
    ("Planning a barn wedding", "Barns need power, toilets and heating: what to rent and what to ask the farmer."),
    ("The beach wedding checklist", "Sand, wind and tides: the questions to settle before you say yes on the beach."),
]


def _checklist_page(extra: str) -> str:
    ideas = "".join(f'<div class="idea"><h3><a href="/ideas/{n}">{head}</a></h3><p>{summary}</p></div>'
                    for n, (head, summary) in enumerate(IDEAS))
    story = ("<div class='guide'><h1>The wedding checklist</h1>" + "".join(f"<p>{p}</p>" for p in CHECKLIST)
             + extra + f"<h3>Collect them all</h3>{ideas}</div>")
    return site(story, title="The wedding checklist")


def test_a_list_of_teaser_cards_closing_the_story_container_is_left_out() -> None:
    text = read_html(_checklist_page("")).text
    for paragraph in CHECKLIST:
        assert paragraph in text
    for _, summary in IDEAS:
        assert summary not in text


def test_questions_and_answers_closing_a_story_are_kept() -> None:
    faq = [("How early should we book the venue?", "A year ahead for a Saturday in summer, six months for a weekday."),
           ("Do we need a planner?", "Not for a small wedding, but a planner saves time when the guests are many."),
           ("When do we send the invitations?", "Eight weeks before the day, with a date to answer by."),
           ("Who pays for the rings?", "Each partner usually buys the other's ring, whatever the budget.")]
    story = ("<div class='guide'><h1>The wedding checklist</h1>" + "".join(f"<p>{p}</p>" for p in CHECKLIST)
             + "<h2>Questions</h2>"
             + "".join(f'<div class="faq-item"><a href="#q{n}">{q}</a><p id="q{n}">{a}</p></div>'
                       for n, (q, a) in enumerate(faq)) + "</div>")
    text = read_html(site(story, title="The wedding checklist")).text
    for _, answer in faq:
        assert answer in text


# --- the author's box closing the story container -------------------------------------------------------

CLEANING = [
    "Spring cleaning starts with the windows: warm water, a drop of soap and a squeegee beat any spray.",
    "Steam cleaners are back in fashion, because they clean without chemicals that linger in the air.",
    "Families with pets should wash sofa covers monthly; hair and dander gather faster than people think.",
    "Most cleaning companies now offer plant-based products at no extra cost, so ask for them by name.",
    "Decluttering comes first, though: a room with fewer things on its surfaces takes half the time to clean.",
    "Kitchens need the most care, and the fridge is where most households find the oldest surprises.",
    "Rugs and curtains can go to a laundry once a year, which is cheaper than a new set every few years.",
    "And when the work is done, open the windows for an hour: fresh air is the last step of a clean home.",
]
BIO = ("Karen Holt is the owner of Bright Homes, a cleaning company serving the north of the city. "
       "She holds a degree in chemistry and spent ten years in hotel housekeeping before starting it.")


def test_the_authors_box_with_portrait_after_the_story_is_left_out() -> None:
    box = (f'<div class="box-wrap"><div class="box-avatar"><a href="/author/karen-holt"><img src="/k.jpg" alt=""></a>'
           f'</div><div class="box-name"><a href="/author/karen-holt">Karen Holt</a></div><p>{BIO}</p></div>')
    story = ("<div class='post-content'><h1>Cleaning trends this spring</h1>"
             + "".join(f"<p>{p}</p>" for p in CLEANING) + box + "</div>")
    text = read_html(site(story, title="Cleaning trends this spring")).text
    for paragraph in CLEANING:
        assert paragraph in text
    assert BIO not in text


def test_a_last_paragraph_with_a_link_and_no_picture_stays() -> None:
    last = 'Read the <a href="/guide">full guide</a> for the products our team tested this year, brand by brand.'
    story = ("<div class='post-content'><h1>Cleaning trends this spring</h1>"
             + "".join(f"<p>{p}</p>" for p in CLEANING) + f"<div class='note'><p>{last}</p></div></div>")
    text = read_html(site(story, title="Cleaning trends this spring")).text
    assert "for the products our team tested this year, brand by brand." in text


def test_the_table_of_contents_goes_with_its_label() -> None:
    toc = ('<div class="toc-box"><p>Table of Contents</p><ol>'
           + "".join(f'<li><a href="#part-{n}">Part {n} of the guide</a></li>' for n in range(1, 5)) + "</ol></div>")
    story = ("<div class='post-content'><h1>Cleaning trends this spring</h1>" + toc
             + "".join(f"<p>{p}</p>" for p in CLEANING) + "</div>")
    text = read_html(site(story, title="Cleaning trends this spring")).text
    assert text.split("\n")[0] == CLEANING[0]
    assert "Table of Contents" not in text and "Part 1 of the guide" not in text


def test_the_sites_affiliate_disclosure_goes_and_a_story_about_affiliates_stays() -> None:
    story_lines = [
        "Streamers earn a commission when viewers buy games or gear through their affiliate links.",
        "Most platforms pay between three and ten percent, and the best-known programmes pay monthly.",
        "To measure what a partnership brings, track the affiliate links and the discount codes apart.",
    ]
    disclosure = ("This post contains affiliate links: if you buy through them, we may earn a small commission "
                  "at no extra cost to you.")
    story = ("<div class='post-content'><h1>How streamers make money</h1>"
             f"<p><em>{disclosure}</em></p>" + "".join(f"<p>{p}</p>" for p in story_lines + CLEANING[:4]) + "</div>")
    text = read_html(site(story, title="How streamers make money")).text
    for line in story_lines:
        assert line in text
    assert "affiliate links: if you buy" not in text


# --- a story sent late by a streaming renderer, hidden at the end of the page ---------------------------------

def streamed(shell: str, parts: dict[str, str]) -> str:
    """A page as React's streaming renderer sends it: the shell with placeholders, then each part in a
    hidden div at the end of the body and the script call that moves it into place."""
    late = "".join(f'<div hidden id="S:{key}">{html}</div><script>$RC("B:{key}","S:{key}")</script>'
                   for key, html in parts.items())
    return f"""<!doctype html><html><head><title>Ferry terminal to close</title></head><body>{NAV}
<main><h1>Ferry terminal to close</h1>{shell}</main>{SIDEBAR}{FOOTER}{late}</body></html>"""


def test_a_story_streamed_in_hidden_parts_is_read_in_place() -> None:
    shell = (f"<p>{STORY[0]}</p><!--$?--><template id=\"B:0\"></template><div>Loading paragraph...</div><!--/$-->"
             f"<div class=\"quote-card\"><span>FERRY</span><span>+0.4%</span></div>"
             f"<!--$?--><template id=\"B:1\"></template><div>Loading paragraph...</div><!--/$-->")
    # The parts come in the order they were ready, not the page's.
    parts = {"1": "<div>" + "".join(f"<p>{p}</p>" for p in MORE) + "</div>",
             "0": "<div>" + "".join(f"<p>{p}</p>" for p in STORY[1:]) + "</div>"}
    lines = lines_of(streamed(shell, parts))
    assert [line for line in lines if line in STORY + MORE] == STORY + MORE
    assert not any("Loading" in line or "Council approves" in line for line in lines)


def test_a_streamed_page_saved_without_its_comments_drops_the_short_fallbacks() -> None:
    shell = (f"<p>{STORY[0]}</p><template id=\"B:0\"></template><div>Loading paragraph...</div>"
             f"<p>{STORY[1]}</p><template id=\"B:1\"></template><div>Loading image...</div>")
    parts = {"0": "".join(f"<p>{p}</p>" for p in MORE), "1": "".join(f"<p>{p}</p>" for p in STORY[2:])}
    assert lines_of(streamed(shell, parts)) == [STORY[0], *MORE, *STORY[1:]]


# --- a story in wrappers named for their place in the layout ("widget", "sidebar") -------------------------

REVIEWS = {
    "Harbour Pro 16": [
        "The Harbour Pro 16 is the laptop we would buy with our own money this year, and it is not close: it is "
        "fast, it is quiet, and its screen is the brightest of the fourteen we tested.",
        "Its battery lasted more than eleven hours in our video test, which is two hours longer than last "
        "year's model managed and enough for a full day of lectures and a ferry ride home.",
    ],
    "Quayside Air 13": [
        "The Quayside Air 13 weighs just over a kilogram, and yet it still has room for two full-size ports, a "
        "card reader and a headphone socket, which most laptops this thin have given up.",
        "Its keyboard is the best we have typed on at this price, although the screen is a little dim when you "
        "take it outdoors on a sunny afternoon.",
    ],
    "Ferryman Go 14": [
        "The Ferryman Go 14 costs less than half of our top pick and does everything that a student will need "
        "from a laptop, from writing essays to joining a video call with the whole class.",
        "It is slower when many tabs are open, but the fan stays quiet and the case survived our drop test from "
        "a desk onto the newsroom's hard floor without a mark.",
    ],
}


def test_reviews_in_product_widgets_are_the_story_and_the_share_widget_is_not() -> None:
    intro = "<p>We tested fourteen laptops over two months in the newsroom and on the ferry to pick these three.</p>"
    boxes = "".join(
        f'<div class="product-widget"><div class="product-widget__name">{name}</div>'
        + "".join(f"<p>{p}</p>" for p in paras) + "</div>"
        for name, paras in REVIEWS.items())
    share = ('<div class="share-widget"><p>Share this with a friend who needs a laptop for the new term, '
             'and tell them that we test every one of them ourselves before we write a single word.</p>'
             '<p>Follow us for more guides like this one, and sign up to hear about the next one first.</p></div>')
    text = read_html(site(f"<article>{intro}{boxes}{share}</article>", extra=RAIL)).text
    for name, paras in REVIEWS.items():
        assert name in text
        for p in paras:
            assert p in text
    assert "Share this with a friend" not in text and "Ferry times and fares" not in text


def test_a_story_in_a_column_named_sidebar_is_found() -> None:
    page = site(PARAS + "".join(f"<p>{p}</p>" for p in MORE), wrapper='<div class="layout-sidebar-left">{}</div>',
                extra=RAIL * 3)
    assert lines_of(page) == STORY + MORE


# --- a listicle: items of a linked name and a paragraph each ------------------------------------------------

BRANDS = {
    "Tidewater": "Tidewater makes waxed cotton jackets in a workshop by the harbour, and it pays every one of "
                 "its twelve sewers a wage agreed with their union, which it publishes every year along with the "
                 "names of its suppliers. Its jackets come with a promise that the workshop will repair them for "
                 "as long as you own one.",
    "Saltmarsh": "Saltmarsh knits jumpers from the wool of island sheep, spun and dyed within fifty miles of the "
                 "farms, and it takes back any of its jumpers that has worn out to mend it or recycle the yarn. "
                 "The farmers are paid before the shearing, so a bad year for prices does not fall on them.",
    "Lighthouse Denim": "Lighthouse Denim cuts its jeans from organic cotton woven in Portugal, uses no bleach in its "
                        "washes and sends its offcuts to a local charity that turns them into bags and toys. It "
                        "publishes the water each pair takes to make, and the figure has halved in four years.",
    "Keel & Co": "Keel & Co makes canvas bags and aprons from sails that have come off the island's fishing boats, "
                 "and each one carries the name of the boat that its sail was cut from on a small label. When "
                 "the sails run out, the workshop waits for the next ones instead of buying new canvas.",
}


def test_a_listicle_of_linked_names_and_paragraphs_keeps_its_items() -> None:
    intro = ("<p>These are the island's clothing makers who pay a fair wage and keep their materials local, "
             "picked by our fashion desk after a year of visits to their workshops, farms and mills.</p>"
             "<p>Every maker on the list publishes what it pays, where its cloth comes from and what happens to "
             "its offcuts, and each one answered our questions about all three in writing.</p>"
             "<p>None of them paid to be included, and we buy the clothes we test ourselves; if you buy through "
             "one of the links below, we may earn a small share of the sale.</p>")
    items = "".join(
        f'<div class="item"><h2><a href="/brands/{i}">{name}</a></h2><p>{para}</p>'
        f'<p><a href="/shop/{i}">Shop {name}.</a></p></div>'
        for i, (name, para) in enumerate(BRANDS.items()))
    text = read_html(site(f'<article><div class="intro">{intro}</div>{items}</article>', extra=RAIL)).text
    for para in BRANDS.values():
        assert para in text
    assert "Ferry times and fares" not in text


def test_teasers_with_long_summaries_after_a_long_story_stay_out() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/s{i}">{name} opens a shop on the quay</a></h3><p>{para}</p></div>'
        for i, (name, para) in enumerate(list(BRANDS.items())[:2]))
    story = PARAS + "".join(f"<p>{p}</p>" for p in MORE) + "".join(f"<p>{p}</p>" for p in MORE[::-1])
    text = read_html(site(f"<article>{story}</article><section>{teasers}</section>")).text
    assert STORY[0] in text and MORE[-1] in text
    assert not any(para in text for para in BRANDS.values())


def test_a_page_builder_story_of_one_box_per_heading_and_paragraphs_is_read_whole() -> None:
    sections = [("Why the terminal is closing", STORY[:2]), ("What changes for passengers", STORY[2:]),
                ("What the islanders say", MORE[:2])]
    boxes = "".join(
        f'<div class="pb-element pb-widget pb-widget-heading"><div class="pb-widget-container"><h2>{head}</h2>'
        f'</div></div><div class="pb-element pb-widget pb-widget-text-editor"><div class="pb-widget-container">'
        + "".join(f"<p>{p}</p>" for p in paras) + "</div></div>"
        for head, paras in sections)
    page = site(f'<div class="pb-column"><div class="pb-widget-wrap">{boxes}</div></div>', extra=RAIL)
    assert lines_of(page) == [line for head, paras in sections for line in (head, *paras)]


# --- a story of collapsed panels (an accordion of steps or questions) ----------------------------------------

def test_the_collapsed_panels_of_an_accordion_are_read() -> None:
    steps = [("1. Check the timetable", "The summer timetable moves two sailings an hour earlier, and the "
                                          "last boat back from the mainland now leaves at half past nine."),
             ("2. Arrive early with a car", "Drivers should queue at the container quay gate, where the staff "
                                            "will check tickets before the cars are loaded onto the ferry."),
             ("3. Take the shuttle bus", "The shuttle leaves from the bus station every twenty minutes and "
                                         "stops at the quay, the hospital and the school on its way.")]
    panels = "".join(
        f'<div class="accordion-item"><button aria-controls="step{i}" aria-expanded="false">{head}</button>'
        f'<div id="step{i}" role="region" style="display: none"><p>{text}</p></div></div>'
        for i, (head, text) in enumerate(steps))
    hidden_menu = '<div class="mobile-menu" style="display:none"><p>Menu: news, sport, weather and jobs.</p></div>'
    lines = lines_of(site(f"<article>{PARAS}{panels}{hidden_menu}</article>", extra=RAIL))
    assert [line for line in lines if line.endswith(".") and "Menu" not in line] == [
        *STORY, *(text for _, text in steps)]
    assert not any("Menu:" in line for line in lines)


# --- rows of a table of figures are not timestamps ----------------------------------------------------------

def test_a_table_of_dates_and_figures_keeps_its_rows() -> None:
    rows = [("1/1/2023", "+13.1%"), ("2/1/2023", "+12.4%"), ("3/1/2023", "+11.9%"), ("4/1/2023", "-2.5%")]
    table = ("<table><thead><tr><th>Month</th><th>Change in median sale price</th></tr></thead><tbody>"
             + "".join(f"<tr><td>{month}</td><td>{change}</td></tr>" for month, change in rows) + "</tbody></table>")
    lines = lines_of(site(f"<article>{PARAS}{table}<p>{MORE[0]}</p></article>"))
    assert [f"{month} | {change}" for month, change in rows] == [line for line in lines if line[0].isdigit()]
    assert lines[:len(STORY)] == STORY and lines[-1] == MORE[0]


# --- linked sub-headings inside the story --------------------------------------------------------------------

def test_linked_product_headings_between_paragraphs_are_kept_and_a_link_list_after_the_story_is_not() -> None:
    picks = [("Harbour Pro 16", REVIEWS["Harbour Pro 16"][0]), ("Quayside Air 13", REVIEWS["Quayside Air 13"][0]),
             ("Ferryman Go 14", REVIEWS["Ferryman Go 14"][0])]
    body = "".join(f'<h3><a href="/shop/{i}">{name}</a></h3><p>{para}</p>' for i, (name, para) in enumerate(picks))
    more = "".join(f'<h3><a href="/more/{i}">More laptop guides for the new term, number {i}</a></h3>'
                   for i in range(4))
    lines = lines_of(site(f"<article><p>{STORY[0]}</p>{body}{more}</article>", extra=RAIL))
    assert lines == [STORY[0], *(line for pick in picks for line in pick)]


def test_a_short_list_of_linked_names_inside_the_story_is_kept() -> None:
    shops = ["Tidewater, 12 Harbour Street", "Saltmarsh, The Old Mill", "Keel & Co, Quay Road"]
    items = "".join(f'<li><a href="/shops/{i}">{shop}</a></li>' for i, shop in enumerate(shops))
    after = "".join(f"<p>{p}</p>" for p in STORY[2:] + MORE)
    page = site(f"<article><p>{STORY[0]}</p><p>{STORY[1]}</p><ul>{items}</ul>{after}</article>", extra=RAIL)
    assert lines_of(page) == [STORY[0], STORY[1], *shops, *STORY[2:], *MORE]


# --- a story's own "Discussion" and "[...]" are not the end of the story ------------------------------------

def test_a_research_article_keeps_its_discussion_and_a_comment_header_still_ends_the_story() -> None:
    story = ("<h2>Methods</h2>" + "".join(f"<p>{p}</p>" for p in STORY) + "<h2>Discussion</h2>"
             + "".join(f"<p>{p}</p>" for p in MORE))
    comments = ("<h3>Comments</h3><p>I have taken that ferry every day for twenty years and I will miss the old "
                "terminal, whatever the harbour authority says about the cost of the repairs.</p>")
    lines = lines_of(site(f"<article>{story}{comments}</article>"))
    assert lines == ["Methods", *STORY, "Discussion", *MORE]


def test_an_elided_code_line_in_the_second_half_does_not_cut_the_tutorial() -> None:
    code = '<pre>{\n  "order_id": 42,\n  "items": [...]\n}</pre>'
    story = "".join(f"<p>{p}</p>" for p in STORY) + code + "".join(f"<p>{p}</p>" for p in MORE)
    lines = lines_of(site(f"<article>{story}</article>"))
    assert lines[-len(MORE):] == MORE and '"items": [...]' in lines
