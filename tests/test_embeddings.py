"""The sentence encoder: float32 unit vectors whatever the precision, and the shipped precision close to fp32."""

from __future__ import annotations

import numpy as np
import pytest

from storyline import nlp

SENTENCES = [
    "Serbia will never impose sanctions on Russia, the president said on Tuesday.",
    "The Indian navy captured 23 Somali and Yemeni pirates in the Gulf of Aden.",
    "Tara Reid checked herself into a treatment center, her publicist told People.",
    "A magnitude 6.1 earthquake struck southern Iran, killing at least ten people.",
    "Vucic: Belgrade won't join NATO.",
]


def test_precision_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(nlp.PRECISION_ENV, raising=False)
    assert nlp.precision() == nlp.DEFAULT_PRECISION
    for kind in nlp.PRECISIONS:
        monkeypatch.setenv(nlp.PRECISION_ENV, kind.upper())
        assert nlp.precision() == kind
    monkeypatch.setenv(nlp.PRECISION_ENV, "fp8")
    with pytest.raises(ValueError, match="fp8"):
        nlp.precision()


@pytest.mark.slow
def test_encode_returns_float32_unit_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(nlp.PRECISION_ENV, raising=False)
    vectors = nlp.encode(SENTENCES)
    assert vectors.dtype == np.float32 and vectors.shape == (len(SENTENCES), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    empty = nlp.encode([])
    assert empty.dtype == np.float32 and empty.shape == (0, 384)


@pytest.mark.slow
def test_shipped_precision_stays_close_to_fp32() -> None:
    reference = nlp.encode(SENTENCES, kind="fp32")
    shipped = nlp.encode(SENTENCES, kind=nlp.DEFAULT_PRECISION)
    assert shipped.dtype == np.float32
    assert np.allclose(np.linalg.norm(shipped, axis=1), 1.0, atol=1e-5)
    cosines = (reference * shipped).sum(axis=1)
    assert cosines.min() >= 0.99, cosines
    # the vectors still tell the sentences apart as fp32's do: each is nearest its own fp32 vector
    assert list((shipped @ reference.T).argmax(axis=1)) == list(range(len(SENTENCES)))


@pytest.mark.slow
def test_a_vector_does_not_depend_on_its_batch() -> None:
    # stages embed many texts per call (the claims stage 20 articles' statements): a sentence's
    # vector must not move with the padding that longer texts in the same call bring
    long = " ".join(SENTENCES)
    for kind in {"fp32", nlp.DEFAULT_PRECISION}:
        alone = nlp.encode(SENTENCES[4:], kind=kind)[0]
        batched = nlp.encode([long, *SENTENCES], kind=kind)[5]
        assert np.allclose(alone, batched, atol=1e-6), (kind, float(np.abs(alone - batched).max()))
