"""Per-article reuse features (text digest, MinHash signature) and the near-duplicate LSH index.

The features are a pure function of one article's text, so the pipeline computes them once and
stores them (``to_bytes``); the LSH index is rebuilt from them in memory.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.records import Article
from storyline.stages.reuse.text import SHINGLE_WORDS, shingles, text_digest, words

# MinHash permutations: 128 gives a Jaccard estimate within about +-0.04 (one standard error at
# J = 0.5), enough to tell light edits (J >= 0.5) from partial reuse.
NUM_PERM = 128
MINHASH_SEED = 1
# datasketch's hashing scheme, fixed so stored signatures stay comparable across versions.
MINHASH_SCHEME = "affine32"
# Layout version of ReuseFeatures.to_bytes; bump when the layout or the shingling changes.
FEATURES_VERSION = 1
_HEADER = struct.Struct("<BBH")  # version, digest length, number of permutations
_DIGEST_BYTES = 16


def _crc32(data: bytes) -> int:
    """A fast, stable 32-bit hash of one shingle (datasketch's default SHA-1 is 2x slower)."""
    return zlib.crc32(data)


@dataclass(frozen=True, slots=True, eq=False)
class ReuseFeatures:
    """What the reuse stage keeps per article besides its sentences: a digest and a MinHash."""

    article: str
    digest: bytes  # 16-byte digest of the folded words: equal digests mean a duplicate text
    signature: np.ndarray  # uint32 MinHash signature over 5-word shingles, shape (NUM_PERM,)
    shingled: bool  # False when the text has too few words for a meaningful signature

    def to_bytes(self) -> bytes:
        """Serialise for the store: header, digest, then the signature as little-endian uint32."""
        header = _HEADER.pack(FEATURES_VERSION, len(self.digest), len(self.signature) if self.shingled else 0)
        return header + self.digest + self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, article: str, blob: bytes) -> ReuseFeatures:
        """Inverse of :meth:`to_bytes`; raises ValueError on a blob of another layout version."""
        version, digest_len, perms = _HEADER.unpack_from(blob)
        if version != FEATURES_VERSION:
            raise ValueError(f"reuse features of {article}: layout version {version}, expected {FEATURES_VERSION}")
        digest = bytes(blob[_HEADER.size : _HEADER.size + digest_len])
        signature = np.frombuffer(blob, dtype="<u4", offset=_HEADER.size + digest_len).astype(np.uint32)
        return cls(article, digest, signature, perms > 0)

    def minhash(self) -> MinHash:
        """The signature as a datasketch MinHash."""
        return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashvalues=self.signature, scheme=MINHASH_SCHEME)


def reuse_features(article: Article) -> ReuseFeatures:
    """Digest and MinHash signature of one article's text (a pure function of the article)."""
    grams = shingles(article.text)
    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=_crc32, scheme=MINHASH_SCHEME)
    minhash.update_batch(sorted(g.encode("utf-8") for g in grams))
    shingled = len(words(article.text)) >= SHINGLE_WORDS
    return ReuseFeatures(article.id, text_digest(article.text), minhash.hashvalues.astype(np.uint32), shingled)


def estimated_jaccard(a: ReuseFeatures, b: ReuseFeatures) -> float:
    """MinHash estimate of the 5-gram Jaccard similarity of two articles (0 if either is too short)."""
    if not (a.shingled and b.shingled) or len(a.signature) != len(b.signature):
        return 0.0
    return float(np.mean(a.signature == b.signature))


class NearDuplicateIndex:
    """datasketch MinHash LSH over article ids: query cost is O(bands), independent of corpus size."""

    def __init__(self, threshold: float) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)

    def insert(self, features: ReuseFeatures) -> None:
        """Index one article's signature (articles too short to shingle are left out)."""
        if features.shingled:
            self._lsh.insert(features.article, features.minhash(), check_duplication=False)

    def band_keys(self, features: ReuseFeatures) -> list[tuple[int, bytes]]:
        """(band, key) of each LSH band of this signature: two articles collide in :meth:`query`
        exactly when they share a pair (none for an article too short to shingle). An engine can
        join these keys over a whole corpus instead of querying (as passim joins n-gram postings)."""
        if not features.shingled:
            return []
        values = features.signature.astype("<u4")
        return [(band, values[start:end].tobytes()) for band, (start, end) in enumerate(self._lsh.hashranges)]

    def query(self, features: ReuseFeatures) -> list[str]:
        """Ids of indexed articles whose signatures collide with this one in some band."""
        if not features.shingled:
            return []
        return [str(key) for key in self._lsh.query(features.minhash())]
