"""Framing: log-odds with an informative Dirichlet prior, per source, with the sentences terms come from."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article
from storyline.stages.events import framing, framing_record, source_label
from storyline.stages.events.framing import framing_group, log_odds_z

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"

STATE = [
    "Belgrade again refused to join anti-Russian sanctions, the minister said.",
    "He warned that the breakaway province of Kosovo remains the main threat.",
    "Serbia will not bow to anti-Russian sanctions, he added.",
    "Officials said the breakaway province must not join the United Nations.",
]
WIRE = [
    "Serbia has condemned Moscow's aggression but refused to impose sanctions.",
    "Washington accuses Belgrade of helping Russia's malign influence in the Balkans.",
    "Critics say Moscow's aggression left Serbia isolated from its neighbours.",
    "The sanctions target Russia's malign influence, the Treasury said.",
]


def _article(name: str, source: str, sentences: list[str]) -> Article:
    return Article(id=f"{name:0>16}", path=f"/corpus/{name}.txt", text="\n\n".join(sentences), source=source)


def _outlets() -> list[Article]:
    return [
        _article("s1", "state.example", STATE[:2]), _article("s2", "state.example", STATE[2:]),
        _article("w1", "wire.example", WIRE[:2]), _article("w2", "wire.example", WIRE[2:]),
    ]


def test_each_outlet_gets_its_own_phrases_and_shared_words_score_low() -> None:
    result = framing(_outlets())
    state = {t.term.casefold(): t for t in result["state.example"]}
    wire = {t.term.casefold(): t for t in result["wire.example"]}
    assert {"anti-russian sanctions", "breakaway province"} <= set(state)
    assert {"moscow's aggression", "malign influence"} <= set(wire)
    assert not {"moscow's aggression", "malign influence"} & set(state)
    assert "serbia" not in state and "serbia" not in wire  # both outlets say it: nothing sets it apart
    assert all(t.z > 0 for t in result["state.example"] + result["wire.example"])


def test_framing_terms_point_at_the_sentences_they_come_from() -> None:
    articles = {a.id: a for a in _outlets()}
    for terms in framing(list(articles.values())).values():
        for term in terms:
            assert term.sentences
            for s in term.sentences:
                sentence = articles[s.article].text[s.start : s.end]
                assert sentence in STATE + WIRE
                assert term.term.split()[0].casefold() in sentence.casefold()


def test_the_prior_shrinks_a_term_used_once_below_one_used_four_times() -> None:
    once = log_odds_z(1, 1000, 0, 1000, alpha=0.05, alpha0=100)
    four = log_odds_z(4, 1000, 0, 1000, alpha=0.2, alpha0=100)
    assert 0 < once < four
    assert log_odds_z(0, 1000, 4, 1000, alpha=0.2, alpha0=100) < 0  # the other side's term


def test_an_article_without_an_outlet_is_of_unknown_outlet_and_frames_alone() -> None:
    article = Article(id="x" * 16, path="/data/004_2c0c.txt#2", text="Serbia will never join NATO, he said.")
    assert source_label(article) == "unknown outlet"  # never its file name
    assert source_label(Article(id="y" * 16, path="p.txt", text="t", source="apnews.com")) == "apnews.com"
    assert framing_group(article) == "unknown outlet: Serbia will never join NATO, he said."
    titled = Article(id="z" * 16, path="q.txt", text="Body.", title="Vulin meets Putin")
    assert framing_group(titled) == "unknown outlet: Vulin meets Putin"


def test_one_group_alone_has_nothing_that_sets_it_apart() -> None:
    result = framing([_article("s1", "state.example", STATE)])
    assert result == {"state.example": []}


def test_the_example_story_frames_sputnik_apart_with_exact_sentence_spans() -> None:
    articles = [normalise(next(iter(read_file(str(p), 20_000_000)))) for p in sorted(EXAMPLE.glob("*.txt"))]
    by_id = {a.id: a for a in articles}
    result = framing(articles)
    assert set(result) == {"sputnikglobe.com"} | {framing_group(a) for a in articles if a.source is None}
    assert len(result) == 5
    sputnik = [t.term for t in result["sputnikglobe.com"]]
    assert "Kosovo" in sputnik
    record = framing_record(result)
    for group in record.values():
        for term in group:
            for s in term["sentences"]:
                text = by_id[s["article"]].text
                assert text[s["start"] : s["end"]].strip() == text[s["start"] : s["end"]] != ""
