"""The per-article sentence stage: spans into the stored text, vectors, incremental runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyline.pipeline import analyse
from storyline.records import Article
from storyline.stages.sentences import ArticleSentences, embed_articles
from storyline.stages.sentences.stage import SENTENCES
from storyline.stages.stored import load_sentences
from storyline.store import SQLiteStore
from tests.conftest import ingest_paths


def test_spans_cut_the_stored_text_into_sentences() -> None:
    text = "Vulin met Putin on Wednesday. \n\n“Serbia is an ally,” he said. Ok."
    (result,) = embed_articles([Article(id="a" * 16, path="a.txt", text=text)])
    pieces = [text[s:e] for s, e in result.spans]
    assert pieces == ["Vulin met Putin on Wednesday.", "“Serbia is an ally,” he said."]  # "Ok." is too short
    assert result.vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(result.vectors, axis=1), 1.0, atol=1e-4)


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    text = ("Serbia will never impose sanctions on Russia. Belgrade refuses to sanction Moscow. "
            "The football match ended in a draw after extra time.")
    (result,) = embed_articles([Article(id="b" * 16, path="b.txt", text=text)])
    v = result.vectors
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3


def test_serialised_sentences_round_trip() -> None:
    original = ArticleSentences("c" * 16, ((0, 5), (7, 20)), np.eye(2, 384, dtype=np.float32))
    restored = ArticleSentences.from_bytes("c" * 16, original.to_bytes())
    assert restored.spans == original.spans
    assert np.allclose(restored.vectors, original.vectors, atol=1e-3)
    empty = ArticleSentences("d" * 16, (), np.zeros((0, 384), dtype=np.float32))
    assert ArticleSentences.from_bytes("d" * 16, empty.to_bytes()).spans == ()


def test_analyse_embeds_only_new_articles(store: SQLiteStore, example_dir: Path, tmp_path: Path) -> None:
    ingest_paths(store, example_dir / "000_d796179e1bc1315f.txt")
    first = {r.stage: r for r in analyse(store, [SENTENCES])}
    assert first[SENTENCES].articles == 1 and first[SENTENCES].produced > 5
    ingest_paths(store, example_dir / "003_da1156ca9ab1c740.txt")
    second = {r.stage: r for r in analyse(store, [SENTENCES])}
    assert second[SENTENCES].articles == 1
    assert {r.stage: r.articles for r in analyse(store, [SENTENCES])} == {SENTENCES: 0}
    stored = load_sentences(store)
    assert len(stored) == 2
    for article in store.articles():
        spans = stored[article.id].spans
        assert all(article.text[s:e].strip() == article.text[s:e] and e > s for s, e in spans)
