"""Per-article event features: folded terms and word pairs, proper-noun keys, written dates, bytes."""

from __future__ import annotations

import numpy as np

from storyline.records import Article
from storyline.stages.events import EventFeatures, event_features
from storyline.stages.events.dates import bare_years, full_dates
from storyline.stages.events.text import content_terms, fold, proper_noun_keys
from storyline.stages.sentences import ArticleSentences


def _sentences(article: Article, seed: int = 0) -> ArticleSentences:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(2, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    half = len(article.text) // 2
    return ArticleSentences(article.id, ((0, half), (half, len(article.text))), vectors)


def test_fold_strips_accents_and_strokes() -> None:
    assert fold("Vučić") == "vucic"
    assert fold("Đoković’s Łódź") == "dokovic's lodz"


def test_content_terms_count_words_and_pairs_but_not_across_sentences() -> None:
    counts = content_terms("Serbia will never impose sanctions on Russia. Sanctions hurt.")
    assert counts["sanction"] == 2  # plural folded
    assert counts["sanction russia"] == 1  # stop word "on" dropped before pairing
    assert counts["impose sanction"] == 1
    assert "russia sanction" not in counts  # the full stop breaks the pair
    assert "will" not in counts and "never" not in counts


def test_proper_noun_keys_fold_names_drop_titles_and_count_surnames() -> None:
    counts, display = proper_noun_keys(
        "Serbian President Aleksandar Vučić met Vladimir Putin in Moscow. Later Vucic said he was pleased."
    )
    assert counts["aleksandar vucic"] == 1
    assert counts["vucic"] == 2  # the full name also counts under its last word
    assert counts["vladimir putin"] == 1 and counts["moscow"] == 1
    assert "president" not in counts and "serbian president aleksandar vucic" not in counts
    assert display["aleksandar vucic"] == "Aleksandar Vučić"


def test_a_capitalised_first_word_of_a_sentence_is_not_an_entity() -> None:
    counts, _ = proper_noun_keys("Despite the pressure, Belgrade refused. Recent talks failed in Belgrade.")
    assert "despite" not in counts and "recent" not in counts
    assert counts["belgrade"] == 2  # sentence-initial words seen mid-sentence elsewhere count


def test_full_dates_read_dates_written_with_their_year_only() -> None:
    text = "May 03 , 2013\nposted 26 September 2013; url / 2013 / may / 04 / x and 2013-05-05. On Friday, last July."
    assert [d for _at, d in full_dates(text)] == ["2013-05-03", "2013-09-26", "2013-05-04", "2013-05-05"]
    assert full_dates("He spoke on Friday, as he did last July.") == []


def test_bare_years_skip_decades_and_numbers() -> None:
    assert bare_years("In 1999 and 2008, not the 1990s, nor 120000 or 3000 buses.") == [1999, 2008]


def test_features_round_trip_through_bytes() -> None:
    article = Article(id="a" * 16, path="a.txt", text="Vulin met Putin in Vladivostok on May 3, 2024. Serbia said no.")
    features = event_features(article, _sentences(article))
    restored = EventFeatures.from_bytes(features.to_bytes())
    assert restored.terms == features.terms and restored.entities == features.entities
    assert restored.mentioned == features.mentioned and restored.dateline == features.dateline
    assert np.allclose(restored.vector, features.vector, atol=1e-3)
    assert abs(float(np.linalg.norm(features.vector)) - 1.0) < 1e-4


def test_given_entities_replace_the_proper_noun_proxy() -> None:
    article = Article(id="b" * 16, path="b.txt", text="Aleksandar Vulin met Vladimir Putin.")
    proxy = event_features(article, _sentences(article))
    given = event_features(article, _sentences(article), entities=["Q-Vulin", "Q-Putin", "Q-Putin"])
    assert proxy.entity_source == "proxy" and "vladimir putin" in dict(proxy.entities)
    assert given.entity_source == "given" and dict(given.entities) == {"q-putin": 2, "q-vulin": 1}


def test_dateline_is_the_publication_date_else_a_date_at_the_top_of_the_text() -> None:
    dated = Article(id="c" * 16, path="c.txt", text="On June 1, 2013 a fire broke out.", published="2013-06-02")
    assert event_features(dated, _sentences(dated)).dateline == "2013-06-02"
    text = "June 1 , 2013\n\nA fire broke out. It recalled the fire of May 2, 1990."
    top = Article(id="d" * 16, path="d.txt", text=text)
    features = event_features(top, _sentences(top))
    assert (features.dateline, features.dateline_basis) == ("2013-06-01", "text")
    assert features.mentioned == ("1990-05-02",)
    late = Article(id="e" * 16, path="e.txt", text="x " * 300 + "It happened on June 1, 2013.")
    assert event_features(late, _sentences(late)).dateline is None  # too far down to be a dateline


def test_the_entities_stage_output_gives_mention_counts_under_full_names_and_surnames() -> None:
    from storyline.stages.entities import ArticlePeople, LocalEntity, Mention

    text = "Aleksandar Vulin met Vladimir Putin in Moscow. Vulin said he was pleased."
    article = Article(id="f" * 16, path="f.txt", text=text)
    entities = (LocalEntity(0, "Aleksandar Vulin", "PERSON", ("Aleksandar Vulin", "Vulin"), (("PERSON", 2),)),
                LocalEntity(1, "Vladimir Putin", "PERSON", ("Vladimir Putin",), (("PERSON", 1),)),
                LocalEntity(2, "Moscow", "GPE", ("Moscow",), (("GPE", 1),)))
    spans = [(0, 16, 0, "name"), (21, 35, 1, "name"), (39, 45, 2, "name"), (47, 52, 0, "name"), (58, 60, 0, "pronoun")]
    mentions = tuple(Mention(article.id, s, e, text[s:e], kind, None, ent) for s, e, ent, kind in spans)  # type: ignore[arg-type]
    people = ArticlePeople(article.id, None, entities, mentions, (), ())
    features = event_features(article, _sentences(article), people)
    assert features.entity_source == "people"
    assert dict(features.entities) == {"aleksandar vulin": 3, "vulin": 3, "vladimir putin": 1, "putin": 1, "moscow": 1}
    assert dict(features.display)["aleksandar vulin"] == "Aleksandar Vulin"


def test_the_lead_is_the_first_real_sentence_cut_at_a_word() -> None:
    from storyline.stages.events.features import LEAD_MAX_CHARS, lead_sentence

    url = "http : / / www . example . com / 2013 / 05 / 03 / lohan - rehab"
    dateline = "May 3 , 2013"
    first = "Lindsay Lohan has checked into the Betty Ford Center to begin a court-ordered stay."
    text = "\n\n".join([url, dateline, first, "She was sentenced in March."])
    spans, at = [], 0
    for part in text.split("\n\n"):
        spans.append((at, at + len(part)))
        at += len(part) + 2
    sentences = ArticleSentences("f" * 16, tuple(spans), np.zeros((len(spans), 384), dtype=np.float32))
    assert lead_sentence(text, sentences) == first
    article = Article(id="f" * 16, path="f.txt", text=text)
    assert event_features(article, sentences).lead == first
    long = "Despite foreign pressure, Serbia will never impose sanctions " * 4
    lead = lead_sentence(long, ArticleSentences("g" * 16, ((0, len(long)),), np.zeros((1, 384), dtype=np.float32)))
    assert lead is not None and lead.endswith("…") and len(lead) <= LEAD_MAX_CHARS
    assert long.startswith(lead[:-1]) and lead[-2] != " "  # cut at a word, nothing invented
    only_url = ArticleSentences("h" * 16, ((0, len(url)),), np.zeros((1, 384), dtype=np.float32))
    assert lead_sentence(url, only_url) is None


def test_a_lead_date_dates_the_article_only_when_it_is_a_dateline_or_belongs_to_the_main_verb() -> None:
    from storyline.stages.events.dates import date_spans, own_date

    def own(text: str) -> list[bool]:
        return [own_date(text, start, end) for start, end, _date in date_spans(text)]

    assert own("Pin-up model dies at 85\n\nDecember 12 , 2008\n\nShe died on Thursday.") == [True]
    assert own("http : / / www . example . com / 2013 / 05 / 02 / lohan-rehab") == [True]
    assert own("Reid checked herself in on Tuesday, December 9, 2008.") == [True]
    assert own("Page was born on April 22, 1923, in Nashville, Tennessee.") == [False]
    assert own("He was sentenced for the crimes he committed on March 11, 2005, at the courthouse.") == [False]
    assert own("Bettie Page (April 22, 1923 - December 11, 2008) was a pin-up model.") == [False, False]


def test_a_birth_date_at_the_top_is_not_the_event_date() -> None:
    text = "Bettie Page, the pin-up queen, has died. Page was born on April 22, 1923, in Nashville."
    article = Article(id="f" * 16, path="f.txt", text=text)
    features = event_features(article, ArticleSentences(article.id, ((0, 39), (40, len(text))),
                                                        np.zeros((2, 384), dtype=np.float32)))
    assert features.dateline is None and features.mentioned == ("1923-04-22",)
