"""Plain-text reading: the header line, headlines, section labels and page residue."""

from __future__ import annotations

from storyline.ingest.cleanup import clean_paragraphs, is_residue, split_paragraphs, split_title
from storyline.ingest.normalise import normalise
from storyline.ingest.text import read_text


def test_header_with_date_and_url_on_its_own_line() -> None:
    item = read_text(" date 2023-12-09 https://example.com/a.html\n\nHeadline Here\n\nBody text.", "a.txt")
    assert (item.published, item.url, item.title, item.text) == (
        "2023-12-09", "https://example.com/a.html", "Headline Here", "Body text.")


def test_header_sharing_its_line_with_the_body() -> None:
    item = read_text(" date 2022-03-22 Serbia has refused to slap sanctions. More text.", "a.txt")
    assert item.published == "2022-03-22"
    assert item.url is None
    assert item.text.startswith("Serbia has refused")


def test_no_header_keeps_the_first_words() -> None:
    item = read_text("dated material is here. Second sentence.", "a.txt")
    assert item.published is None
    assert item.text.startswith("dated material")


def test_section_label_dropped_and_headline_becomes_title() -> None:
    title, rest = split_title(["News", "Serbia official meets Putin", "Serbia is an ally, he said."])
    assert title == "Serbia official meets Putin"
    assert rest == ["Serbia is an ally, he said."]


def test_a_lede_sentence_is_not_a_title() -> None:
    title, rest = split_title(["Serbia refused to impose sanctions on Russia.", "More."])
    assert title is None
    assert len(rest) == 2


def test_comment_counter_and_share_prompts_are_residue() -> None:
    for residue in ["0 Comments on this article 0", "Comments", "Share this article", "Share on Facebook",
                    "Advertisement", "12", "Follow us on Twitter"]:
        assert is_residue(residue), residue
    for prose in ["Vulin said comments on this article were unfair to Serbia and to its people.",
                  "Share prices fell sharply in Belgrade on Monday after the announcement."]:
        assert not is_residue(prose), prose


def test_related_tail_is_cut_but_a_related_line_mid_article_only_drops_itself() -> None:
    tail = clean_paragraphs(["Body one is long enough to be prose here.", "Related:", "Link title one",
                             "Link title two"])
    assert tail == ["Body one is long enough to be prose here."]
    long_after = " ".join(["A long paragraph"] * 10)
    middle = clean_paragraphs(["Body one.", "Read more: Serbia buys jets", long_after])
    assert middle == ["Body one.", long_after]


def test_single_newline_paragraphs_and_blank_line_paragraphs() -> None:
    assert split_paragraphs("One.\nTwo.\nThree.") == ["One.", "Two.", "Three."]
    assert split_paragraphs("One\ncontinued.\n\nTwo.") == ["One continued.", "Two."]


def test_hard_wrapped_text_is_joined() -> None:
    wrapped = ("This is a long line of prose that was wrapped by an editor at\n"
               "seventy characters or so and goes on and on without a stop\n"
               "until the sentence finally comes to its natural end right\n"
               "here at last.")
    assert len(split_paragraphs(wrapped)) == 1


def test_glued_sentences_get_their_space_back_but_domains_do_not() -> None:
    assert split_paragraphs("he has pledged.Explaining the move, visit sputnikglobe.com today.") == [
        "he has pledged. Explaining the move, visit sputnikglobe.com today."]


def test_normalise_keeps_paragraph_breaks_and_collapses_spaces() -> None:
    article = normalise(read_text("First   paragraph\u00a0here.\n\n\n\nSecond\tparagraph.", "a.txt"))
    assert article.text == "First paragraph here.\n\nSecond paragraph."
