"""Claim-match vectors are computed at analysis time and stored; a server's first match looks them up,
and nothing slow a request starts keeps other requests (an article, an unknown id) waiting."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from storyline import nlp
from storyline.read import corpus as corpus_module
from storyline.read.corpus import Corpus
from storyline.stages.claims.match import (
    ClaimMatcher,
    embedded_texts,
    encoder_model,
    known_claim,
    lookup_encoder,
    store_vectors,
    stored_vectors,
)
from storyline.store import open_store
from storyline.store.migrations import MIGRATIONS, SCHEMA_VERSION
from storyline.store.sqlite import SQLiteStore
from storyline.web import create_app

WORDS = "Serbia will not impose sanctions on Russia"


class CountingEncoder:
    """A deterministic stand-in for MiniLM that records every text it embeds."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(384) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), 384)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-9)


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text MiniLM embeds in this test (``storyline.nlp.encode`` wrapped)."""
    texts: list[str] = []
    real = nlp.encode

    def counting(batch: list[str], *args: Any, **kwargs: Any) -> np.ndarray:
        texts.extend(batch)
        return real(batch, *args, **kwargs)

    monkeypatch.setattr(nlp, "encode", counting)
    return texts


def test_text_vectors_are_put_once_and_got_in_bulk(store: SQLiteStore) -> None:
    keys = [k.to_bytes(16, "big") for k in range(700)]  # more than one SQL chunk
    store.put_text_vectors("m", ((k, k[:2]) for k in keys[:600]))
    store.put_text_vectors("m", [(keys[0], b"other")])  # a key keeps its first vector
    found = store.text_vectors("m", keys)
    assert len(found) == 600 and found[keys[0]] == keys[0][:2] == bytes(2) and keys[650] not in found
    assert store.text_vectors("another model", keys) == {}
    assert store.text_vectors("m", []) == {}


def test_store_vectors_embeds_only_texts_without_a_stored_vector(store: SQLiteStore) -> None:
    encoder = CountingEncoder()
    assert store_vectors(store, ["a claim", "a title", "a claim"], encoder, model="m") == 2
    assert store_vectors(store, ["a claim", "a new title"], encoder, model="m") == 1
    assert encoder.texts == ["a claim", "a title", "a new title"]
    found = stored_vectors(store, ["a claim", "a new title", "never stored"], model="m")
    assert set(found) == {"a claim", "a new title"}
    fresh = encoder(["a claim"])[0]
    assert found["a claim"].dtype == np.float32 and np.allclose(found["a claim"], fresh, atol=1e-3)


def test_a_matcher_over_stored_vectors_ranks_as_one_that_embeds_everything(store: SQLiteStore) -> None:
    claims = [("a", "Serbia will not impose sanctions on Russia.", "no sanctions / Belgrade refuses"),
              ("b", "Serbia wants to join the European Union.", ""),
              ("c", "Minecraft is shutting down.", "Is Minecraft shutting down?")]
    encoder = CountingEncoder()
    store_vectors(store, embedded_texts(claims), encoder, model="m")
    stored = lookup_encoder(stored_vectors(store, embedded_texts(claims), model="m"), encoder)
    before = len(encoder.texts)
    from_store = ClaimMatcher.build(claims, encoder=stored)
    assert len(encoder.texts) == before  # every claim text was found
    fresh = ClaimMatcher.build(claims, encoder=lookup_encoder({}, encoder))  # embeds, rounded as stored
    for query in ["Belgrade will not sanction Moscow", "Minecraft closes"]:
        assert from_store.rank(query, 3) == fresh.rank(query, 3)


def test_a_v3_store_migrates_to_the_vector_table(tmp_path: Path) -> None:
    db = tmp_path / "v3.db"
    raw = sqlite3.connect(db)
    raw.executescript("".join(MIGRATIONS[:3]) + "; PRAGMA user_version = 3;")
    raw.close()
    store = open_store(str(db))
    try:
        assert store.schema_version() == SCHEMA_VERSION >= 4
        store.put_text_vectors("m", [(b"k" * 16, b"v")])
        assert store.text_vectors("m", [b"k" * 16]) == {b"k" * 16: b"v"}
    finally:
        store.close()


def test_analysis_stores_the_vector_of_every_text_the_matcher_embeds(analysed_db: str) -> None:
    store = open_store(analysed_db, read_only=True)
    try:
        claims = Corpus(store).claims()
        texts = embedded_texts(known_claim(c) for c in claims)
        assert claims and len(texts) > len(claims)  # texts and titles
        assert set(stored_vectors(store, texts)) == set(texts), encoder_model()
    finally:
        store.close()


def test_first_match_on_a_fresh_server_embeds_no_claim(analysed_db: str, encoded: list[str]) -> None:
    store = open_store(analysed_db, read_only=True)
    try:
        claim_texts = set(embedded_texts(known_claim(c) for c in Corpus(store).claims()))
    finally:
        store.close()
    with TestClient(create_app(analysed_db, warm=False), base_url="http://localhost") as client:
        response = client.get(f"/api/claims/{quote(WORDS)}")
        assert response.status_code == 200, response.text
        assert "sanctions" in response.json()["claim"]["text"]
    assert encoded, "the query itself is embedded"
    assert not claim_texts & set(encoded), "a claim stored at analysis was embedded again"


def test_unknown_ids_answer_404_without_claim_or_event_state(analysed_db: str, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    loaded: list[str] = []

    def spy(name: str, load: Any) -> Any:
        def run(store: Any) -> Any:
            loaded.append(name)
            return load(store)
        return run

    monkeypatch.setattr(corpus_module, "load_claim_index", spy("claims", corpus_module.load_claim_index))
    monkeypatch.setattr(corpus_module, "load_event_index", spy("events", corpus_module.load_event_index))
    builds: list[int] = []
    real_build = ClaimMatcher.build.__func__  # type: ignore[attr-defined]

    def counted_build(cls: type[ClaimMatcher], *args: Any, **kwargs: Any) -> ClaimMatcher:
        builds.append(1)
        matcher: ClaimMatcher = real_build(cls, *args, **kwargs)
        return matcher

    monkeypatch.setattr(ClaimMatcher, "build", classmethod(counted_build))
    with TestClient(create_app(analysed_db, warm=False), base_url="http://localhost") as client:
        for path in ["/api/articles/ffffffffffffffff", "/articles/ffffffffffffffff"]:
            started = time.perf_counter()
            assert client.get(path).status_code == 404
            assert time.perf_counter() - started < 1.0
        assert loaded == []  # an unknown article needs no corpus state
        for path in ["/api/claims/c-0000000000000000", "/api/claims/c-fffffffffffff"]:
            assert client.get(path).status_code == 404
        assert loaded == ["claims"] and builds == []  # the ids alone: no matcher, no events


def test_a_slow_matcher_build_does_not_hold_other_requests(analysed_db: str, monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    entered, release = threading.Event(), threading.Event()
    real_build = ClaimMatcher.build.__func__  # type: ignore[attr-defined]

    def slow_build(cls: type[ClaimMatcher], *args: Any, **kwargs: Any) -> ClaimMatcher:
        entered.set()
        assert release.wait(30)
        matcher: ClaimMatcher = real_build(cls, *args, **kwargs)
        return matcher

    monkeypatch.setattr(ClaimMatcher, "build", classmethod(slow_build))
    with TestClient(create_app(analysed_db, warm=False), base_url="http://localhost") as client:
        article = client.get("/api/articles?limit=1").json()["items"][0]["id"]
        answers: dict[str, int] = {}
        matching = threading.Thread(target=lambda: answers.update(
            match=client.get(f"/api/claims/{quote(WORDS)}").status_code))
        matching.start()
        try:
            assert entered.wait(30)
            started = time.perf_counter()
            assert client.get(f"/api/articles/{article}").status_code == 200
            assert client.get("/api/articles/ffffffffffffffff").status_code == 404
            assert client.get("/api/claims/c-0000000000000000").status_code == 404
            assert time.perf_counter() - started < 10 and not release.is_set()
            assert "match" not in answers  # still building
        finally:
            release.set()
            matching.join(60)
        assert answers == {"match": 200}
