"""One article as the reuse index holds it: text, prose sentences with vectors, features."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from storyline.records import Article
from storyline.stages.reuse.direction import TextProfile, text_profile
from storyline.stages.reuse.minhash import ReuseFeatures
from storyline.stages.reuse.text import content_keys, is_prose, quoted_spans
from storyline.stages.sentences import ArticleSentences


@dataclass(frozen=True, slots=True, eq=False)
class IndexedArticle:
    """An article with its prose sentences (spans and float16 unit vectors) and reuse features."""

    slot: int
    article: Article
    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray  # float16, one row per span
    features: ReuseFeatures

    @classmethod
    def build(cls, slot: int, article: Article, sentences: ArticleSentences, features: ReuseFeatures) -> IndexedArticle:
        """Keep the sentences worth aligning; raise ValueError if the three inputs disagree on the article."""
        if sentences.article != article.id or features.article != article.id:
            raise ValueError(
                f"reuse inputs disagree: article {article.id}, sentences {sentences.article}, "
                f"features {features.article}"
            )
        keep = [k for k, (start, end) in enumerate(sentences.spans) if is_prose(article.text[start:end])]
        vectors = np.asarray(sentences.vectors, dtype=np.float16)[keep] if keep else np.zeros((0, 0), np.float16)
        return cls(slot, article, tuple(sentences.spans[k] for k in keep), vectors, features)

    def sentence(self, k: int) -> str:
        """The text of prose sentence ``k``."""
        start, end = self.spans[k]
        return self.article.text[start:end]

    def sentences(self) -> list[str]:
        """The texts of all prose sentences."""
        return [self.sentence(k) for k in range(len(self.spans))]

    def view(self) -> ArticleView:
        """What comparing this article needs, computed once per comparison round."""
        return ArticleView(self)


class ArticleView:
    """Derived data of one indexed article for comparisons; built on demand, never stored."""

    def __init__(self, entry: IndexedArticle) -> None:
        self.entry = entry

    @cached_property
    def vectors(self) -> np.ndarray:
        """Sentence vectors as float32 for matrix products."""
        return self.entry.vectors.astype(np.float32)

    @cached_property
    def content(self) -> list[set[str]]:
        """The content-word keys of each prose sentence."""
        return [content_keys(self.entry.sentence(k)) for k in range(len(self.entry.spans))]

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        """Character ranges of the article inside quotation marks."""
        return quoted_spans(self.entry.article.text)

    @cached_property
    def profile(self) -> TextProfile:
        """Specifics and quotes of the article."""
        return text_profile(self.entry.article.text, self.entry.spans)
