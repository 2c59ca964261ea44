"""Names resolve exactly or not at all: whole words of a name, alias or title; an ambiguous name
answers with its candidates; a filter by a shared word keeps every entity it names."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.read.corpus import _has_words, _title_matches


def test_whole_words_only() -> None:
    assert _has_words(["surrey", "police"], ["police"])
    assert _has_words(["north", "atlantic", "treaty", "organisation"], ["atlantic", "treaty"])
    assert not _has_words(["milos", "vucevic"], ["o"])
    assert not _has_words(["serbia"], ["a"])
    assert not _has_words(["atlantic", "treaty"], ["treaty", "atlantic"])


def test_the_most_specific_title_wins() -> None:
    assert _title_matches("serbian president", "Serbian President") == 2
    assert _title_matches("serbian president", "President") == 1
    assert _title_matches("serbian president", "Prime Minister") == 0


@pytest.mark.parametrize("ref", ["a", "o", "ser", "vuc"])
def test_fragments_of_names_name_no_one(client: Any, ref: str) -> None:
    assert client.get(f"/api/entities/{ref}").status_code == 404


@pytest.mark.parametrize(("ref", "name"), [("Vucic", "Vučić"), ("vučić", "Vučić"), ("Serbian President", "Vučić"),
                                           ("Vulin", "Vulin"), ("Aleksandar Vulin", "Vulin")])
def test_names_aliases_surnames_and_titles_resolve(client: Any, ref: str, name: str) -> None:
    response = client.get(f"/api/entities/{ref}")
    assert response.status_code == 200, response.text
    assert name in response.json()["entity"]["name"]


def test_an_ambiguous_name_answers_with_its_candidates(client: Any) -> None:
    # "Aleksandar" is the first name of both Vučić and Vulin in the example
    response = client.get("/api/entities/Aleksandar")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "names 2 entities" in detail and "Vučić" in detail and "Vulin" in detail


def test_a_speaker_filter_keeps_every_entity_its_word_names(client: Any) -> None:
    both = client.get("/api/quotes?speaker=Aleksandar&limit=200").json()["items"]
    vulin = client.get("/api/quotes?speaker=Vulin&limit=200").json()["items"]
    vucic = client.get("/api/quotes?speaker=Vucic&limit=200").json()["items"]
    assert vulin and vucic
    assert {q["id"] for q in both} == {q["id"] for q in vulin} | {q["id"] for q in vucic}
