"""The line-level cleaner: one test per boilerplate family (dropped, and a look-alike story line kept),
plus the contract every caller relies on: idempotent, a subsequence of the input, never raising."""

from __future__ import annotations

import pytest

from newsgrep.index.clean import LINE_RULES, clean_text

STORY = [
    "Russia is using peace talks with Ukraine as an opportunity to regroup its forces, the Foreign "
    "Secretary said on Saturday in an interview with a national newspaper.",
    "In the interview she said the talks were a smokescreen and that she was sceptical about the aims "
    "of the Kremlin, which has continued to bomb civilian areas.",
    "Officials in Kyiv said the negotiations would continue remotely next week, but that no meeting "
    "between the two presidents had been planned so far.",
]


def body(*extra: str, at: int = 1) -> str:
    """The story with `extra` lines inserted after paragraph `at`."""
    lines = STORY[:at] + list(extra) + STORY[at:]
    return "\n".join(lines)


def kept(text: str, title: str | None = None) -> list[str]:
    return clean_text(text, title).split("\n")


@pytest.mark.parametrize("noise", [
    "We use your sign-up to provide content in ways you’ve consented to and to improve our understanding "
    "of you. This may include adverts from us and 3rd parties based on our understanding. You can "
    "unsubscribe at any time. More info",
    "Don't miss out on the headlines from World. Followed categories will be added to My News.",
    "This website uses cookies to improve your experience. By clicking accept you agree to our use of "
    "cookies.",
])
def test_signup_and_consent_notices_are_dropped(noise: str) -> None:
    assert noise not in kept(body(noise))


@pytest.mark.parametrize("noise", [
    "Donald Trump dismisses allegations of flushing White House records [INSIGHT]",
    "Starmer’s ‘backdoor plot’ to take Britain back into EU exposed\u00a0[VIDEO]",
    "Putin warned military ‘f*** up’ will leave Russia defenceless [REACTION]",
])
def test_tagged_teaser_headlines_are_dropped(noise: str) -> None:
    assert noise.strip() not in kept(body(noise))


def test_story_lines_mentioning_video_or_analysis_are_kept() -> None:
    line = "Zelensky said in a video posted to Facebook that the analysis of the talks was premature."
    assert line in kept(body(line))


def test_dont_miss_block_drops_header_and_teasers_but_not_the_story_after_it() -> None:
    text = body("DON’T MISS:", "Kremlin officials circle Putin as coup reports build",
                "Ukrainian protesters try to block a luxury yacht", "", at=2)
    out = kept(text)
    assert "DON’T MISS:" not in out
    assert "Kremlin officials circle Putin as coup reports build" not in out
    assert out[-1] == STORY[-1]


def test_title_case_related_headlines_and_quicktakes_are_dropped() -> None:
    noise = ["Ukraine Open to Neutrality But Won’t Yield Territory, Aide Says",
             "Understanding the Roots of Russia’s War in Ukraine: QuickTake"]
    out = kept(body(*noise))
    assert not set(noise) & set(out)


def test_sentence_case_story_line_without_final_stop_is_kept() -> None:
    line = ("Russian negotiators claimed they were halfway there to a deal under which Ukraine would "
            "commit to becoming neutral and never joining Nato")
    assert line in kept(body(line))


def test_section_labels_and_prompts_are_dropped() -> None:
    noise = ["World", "FOLLOW UPDATES BELOW:", "More Coverage", "Advertisement", "Read more"]
    out = kept(body(*noise))
    assert not set(noise) & set(out)


def test_story_sentence_with_prompt_words_is_kept() -> None:
    line = "The minister's comments drew criticism, and residents can read more about the plan online."
    assert line in kept(body(line))


def test_republishing_footers_are_dropped() -> None:
    title = "Russia says holds ‘frank exchange’ with US on Ukraine war"
    out = kept(body(f"Originally published as {title}", "Source: Read Full Article", at=3), title)
    assert out == STORY


def test_live_blog_timestamps_are_dropped_but_sentences_with_times_kept() -> None:
    sentence = "The talks began at 10:30 AM on Monday in Istanbul, officials said."
    out = kept(body("02:34 AM", "Updated 18 March 2022 10:30 GMT", sentence))
    assert "02:34 AM" not in out and "Updated 18 March 2022 10:30 GMT" not in out
    assert sentence in out


def test_social_embed_credit_and_pic_twitter_link_are_removed() -> None:
    tweet = ("They’re watching a video with Ukrainian flags being thrown to the ground "
             "pic.twitter.com/fIKEzD5WnV")
    out = kept(body(tweet, "— max seddon (@maxseddon) March 18, 2022"))
    assert "— max seddon (@maxseddon) March 18, 2022" not in out
    assert "They’re watching a video with Ukrainian flags being thrown to the ground" in out
    assert "pic.twitter.com" not in "\n".join(out)


def test_a_quoted_handle_inside_a_sentence_is_kept() -> None:
    line = "— The senator wrote on Twitter (@senator) that the vote would be delayed until next week."
    assert line in kept(body(line))


def test_spam_lines_are_dropped() -> None:
    assert "xnxx indian" not in kept(body("xnxx indian", at=3))


def test_glued_on_stories_after_the_article_are_cut() -> None:
    text = body(
        "", "",
        "How South Korea’s new president could shake up the region", "",
        "Seoul, South Korea (CNN) South Korea’s new president is taking power at a turbulent time for "
        "the country and the path he carves could shake up the region. Yoon is [\u2026]", "",
        "xnxx indian", at=3)
    assert kept(text) == STORY


def test_reader_comments_after_the_story_are_cut() -> None:
    text = body("34 responses to “The talks”", "joetoronto says:",
                "It’s time for everyone to come to grips with reality, it’s over yet again for them.",
                "v2787 says:", "Rivers is done and the whole team knows it, so they should just move on now.",
                at=3)
    assert kept(text) == STORY


def test_page_chrome_around_the_story_is_removed_by_the_main_region() -> None:
    menu = ["Home", "World", "Politics", "Business", "Sport", "Log In", "My Account", "Subscribe"]
    footer = ["About us", "Contact", "Privacy Policy", "Terms of Use", "© 2022 Example Media"]
    assert kept("\n".join(menu + STORY + footer)) == STORY


CARDS = [
    "More in World",
    "Why farmers may want to paint their cows with zebra stripes",
    "Some people thought the stripy cattle in a Japanese pasture were a practical joke, but the science "
    "behind them could save farmers big money",
    "Two troops killed in helicopter crash in the mountains",
    "Officials dismiss a claim that the craft was downed but say the cause is being investigated.",
    "updated 16M ago",
    "Deal Alert: Get a massive $500 discount on the HP Spectre Folio",
    "The most interesting mainstream laptop of the last 12 months is still on sale, dressed in leather...",
    "Microsoft offers a Surface Go bundle for families plus JBL he...",
    "Microsoft is now offering a deal on its Surface Go that is tailored to families with children.",
    "More in Technology",
]


def test_teaser_cards_after_the_story_are_dropped() -> None:
    """Headlines, each with at most one line of summary that reads as prose, after the story."""
    assert kept("\n".join(STORY + CARDS)) == STORY


def test_a_story_of_subheads_and_paragraphs_is_kept() -> None:
    """Subheads each over a paragraph of story (a digest, a review): paragraphs longer than a card's summary."""
    paragraph = ("The service launches today, and those who paid for the founder's edition will get a controller, "
                 "a streaming stick and three months of the subscription, which the company says is only the start "
                 "of what it plans to offer players over the coming year.")
    sections = []
    for head in ("What Does It Offer?", "The Price Tag Is Not Cheap", "The Games Are Not Impressive",
                 "The Streaming Quality Is Excellent", "The Controller Is Comfortable"):
        sections += [head, paragraph.replace("today", f"today ({head.lower()})")]
    assert kept("\n".join(STORY + sections)) == STORY + sections


def test_repeated_lines_keep_their_first_copy() -> None:
    """A scraper that wrote the story twice, and a cookie notice in its banner and its settings."""
    cookie = ("This website uses cookies to improve your experience while you navigate through the website, "
              "and some of them are stored in your browser.")
    assert kept("\n".join(STORY + STORY)) == STORY
    assert kept("\n".join([*STORY[:2], cookie, STORY[2], cookie])).count(cookie) <= 1


def test_a_line_repeating_the_title_is_dropped() -> None:
    title = "Ukraine and Russia fail to make progress in talks"
    assert kept(body(title, at=0), title) == STORY


def test_short_text_is_not_emptied() -> None:
    assert clean_text("Talks resume on Monday.") == "Talks resume on Monday."


@pytest.mark.parametrize("text", [
    "Экономика России сократилась на 2,1 процента в этом году, сообщили в министерстве во вторник, "
    "и эксперты ожидают дальнейшего спада.",
    "O governo brasileiro anunciou nesta terça-feira um novo pacote de medidas para conter a inflação, "
    "que chegou ao maior nível em dois anos.",
    "東京都は火曜日、新しい交通計画を発表した。計画では、二〇三〇年までに都内の公共交通機関の利用者を増やすことを目指している。",
])
def test_non_english_paragraphs_survive(text: str) -> None:
    menu = "Главная\nНовости\nSobre\nContato\nホーム"
    assert text in kept(f"{menu}\n{text}")


def test_every_rule_has_a_docstring_saying_why() -> None:
    for rule in LINE_RULES:
        assert rule.__doc__ and len(rule.__doc__.strip()) > 20, rule.__name__


@pytest.mark.parametrize("text", ["", "   \n\n", "\x00" * 100, "\ud800 broken surrogate", "a" * 1_000_000,
                                  "word " * 200_000, "<html><body>" * 1000])
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(clean_text(text), str)
    assert isinstance(clean_text(text, title=text[:50]), str)
