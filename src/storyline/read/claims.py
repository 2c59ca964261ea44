"""A claim in a list (its summary), on its page (a dated timeline), as a match, and as an entity's or an
article's page lists it; with the claim filters, ranks and stance counts they share."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from storyline.confidence import is_confident
from storyline.read.common import article_info, entity_name
from storyline.read.listing import Filters
from storyline.stages.claims import STANCES, Claim, ClaimStatement
from storyline.stages.events.index import UNDATED

if TYPE_CHECKING:
    from storyline.read.corpus import Corpus
    from storyline.read.listing import Catalog

ENTITY_CLAIMS = 50  # the most recurring claims an entity's page lists (claims_total counts one-offs too)


def date_range(value: str | None) -> tuple[datetime.date, datetime.date] | None:
    """The days a statement date covers: ``2023-05-04`` one day, ``2023-05`` a month, ``2023`` a year
    (None when undated or unreadable)."""
    if not value:
        return None
    try:
        if len(value) == 4:
            return datetime.date(int(value), 1, 1), datetime.date(int(value), 12, 31)
        if len(value) == 7:
            first = datetime.date(int(value[:4]), int(value[5:7]), 1)
            following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - datetime.timedelta(days=1)
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day, day


def stances(statements: Sequence[ClaimStatement]) -> dict[str, int]:
    """How many statements take each stance (every stance listed, zeros included)."""
    counts: dict[str, int] = {stance: 0 for stance in STANCES}
    for s in statements:
        counts[s.stance] = counts.get(s.stance, 0) + 1
    return counts


def claim_ranks(corpus: Corpus) -> dict[str, int]:
    """Each claim's rank over the whole corpus (1 = the most repeated): the number ``timeline N`` and
    ``/claims/N`` read, whatever a list hides."""
    return {c.id: n for n, c in enumerate(corpus.claims(), 1)}


def _dates(statements: Sequence[ClaimStatement]) -> list[str]:
    return sorted(s.date for s in statements if s.date)


@dataclass(frozen=True, slots=True)
class ClaimSpeaker:
    """Who made a claim's statements: the entity id (None when unlinked), the name shown, how many."""

    id: str | None
    name: str
    statements: int


@dataclass(frozen=True, slots=True)
class ClaimItem:
    """A claim as a list shows it: wording, rank, speakers, date range, stance counts, and how many of its
    statements pass the list's filters (``matched``)."""

    claim: Claim
    rank: int
    speakers: tuple[ClaimSpeaker, ...]
    matched: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``uncertain`` counts statements whose membership is not confident)."""
        c = self.claim
        dates = _dates(c.statements)
        return {"id": c.id, "rank": self.rank, "text": c.text, "statements": len(c.statements),
                "speakers": [{"id": s.id, "name": s.name, "statements": s.statements} for s in self.speakers],
                "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
                "undated": len(c.statements) - len(dates), "articles": len(c.articles),
                "stances": stances(c.statements),
                "uncertain": sum(1 for s in c.statements if not is_confident(s.confidence)),
                "matched": self.matched}


def claim_item(corpus: Corpus, claim: Claim, rank: int, matched: int | None = None) -> ClaimItem:
    """The list view of ``claim`` (``matched`` defaults to all its statements)."""
    speakers: dict[str, list[Any]] = {}
    for s in claim.statements:
        key = s.speaker or s.speaker_name
        if not key:
            continue
        if key not in speakers:
            name = entity_name(corpus, s.speaker)
            speakers[key] = [s.speaker if name else None, name or s.speaker_name or key, 0]
        speakers[key][2] += 1
    shown = tuple(ClaimSpeaker(i, n, k) for i, n, k in speakers.values())
    return ClaimItem(claim, rank, shown, len(claim.statements) if matched is None else matched)


def statement_filter(catalog: Catalog, filters: Filters) -> Callable[[ClaimStatement], bool] | None:
    """Whether a statement passes ``filters`` (None when nothing is filtered): its article passes source,
    story and entity; ``speaker`` made it; its own date (not its article's) falls in the date range; its
    membership of its claim is at least ``filters.min_confidence``."""
    if filters.empty and not filters.min_confidence:
        return None
    floor = filters.min_confidence
    allowed = catalog.allowed(Filters(filters.source, None, None, filters.story, filters.entity))
    who = {e.id for e in catalog.corpus.find_entities(filters.speaker)} if filters.speaker else None
    first, last = filters.date_from, filters.date_to

    def keep(s: ClaimStatement) -> bool:
        if s.confidence < floor:
            return False
        if allowed is not None and s.article not in allowed:
            return False
        if who is not None and s.speaker not in who:
            return False
        if not (first or last):
            return True
        period = date_range(s.date)
        if period is None:
            return False
        start, end = (d.isoformat() for d in period)
        return not ((first and end < first) or (last and start > last))

    return keep


def claim_items(catalog: Catalog, filters: Filters, min_statements: int = 2) -> list[ClaimItem]:
    """Claims stated at least ``min_statements`` times, the most repeated first, with at least one statement
    passing ``filters`` (see :func:`statement_filter`); ``matched`` counts those statements. Statements under
    ``filters.min_confidence`` are left out of each claim's summary; ranks are over every claim."""
    corpus = catalog.corpus
    keep = statement_filter(catalog, filters)
    ranks = claim_ranks(corpus)
    out = []
    for found in corpus.claims(min_statements):
        found = found.keep(filters.min_confidence)  # hidden statements are neither counted nor summarised
        matched = len(found.statements) if keep is None else sum(1 for s in found.statements if keep(s))
        if matched:
            out.append(claim_item(corpus, found, ranks[found.id], matched))
    return out


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One statement of a claim's timeline: when, who (in which role), what, where, and its stance."""

    date: str | None
    date_basis: str | None
    speaker: str | None
    speaker_name: str | None
    speaker_entity: str | None
    role: str | None
    text: str
    wording: str
    stance: str
    cue_class: str | None
    article: str
    article_label: str
    start: int
    end: int
    source: str
    quote: str | None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every field by name."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ClaimDetail:
    """A claim's page: its summary and its statements in date order (undated last); statements under
    ``min_confidence`` are left out."""

    claim: Claim
    summary: ClaimItem
    entries: tuple[TimelineEntry, ...]
    min_confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``claim`` (id, text, aliases), ``summary``, ``timeline``, ``min_confidence``."""
        return {"claim": {"id": self.claim.id, "text": self.claim.text, "aliases": list(self.claim.aliases)},
                "summary": self.summary.to_dict(), "timeline": [e.to_dict() for e in self.entries],
                "min_confidence": self.min_confidence}


def claim_detail(corpus: Corpus, ref: str, min_confidence: float = 0.0) -> ClaimDetail:
    """The page of the claim ``ref`` names (an id, merged-away id, rank, or words: see
    :meth:`Corpus.find_claim`) without the statements whose membership is under ``min_confidence``."""
    claim = corpus.find_claim(ref).keep(min_confidence)
    record = corpus.claim_record(claim)
    articles = {a.id: a for a in corpus.store.articles(list(claim.articles))}
    info = article_info(corpus.store, claim.articles)
    entries = []
    for st, row in zip(claim.statements, record["statements"], strict=True):
        article = articles[st.article]
        name = info[st.article][0]
        entries.append(TimelineEntry(
            st.date, st.date_basis, st.speaker, st.speaker_name, entity_name(corpus, st.speaker), row["role"],
            st.text, st.wording, st.stance, st.cue_class, st.article, name, st.start, st.end,
            article.source or name, st.quote, st.confidence,
        ))
    entries.sort(key=lambda e: (e.date or UNDATED, e.source, e.start))
    return ClaimDetail(claim, claim_item(corpus, claim, claim_ranks(corpus)[claim.id]), tuple(entries),
                       min_confidence)


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """A known claim a text repeats, with the calibrated probability that it does."""

    claim: Claim
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``claim`` (its id), ``text``, ``score``, ``statements`` (how many)."""
        return {"claim": self.claim.id, "text": self.claim.text, "score": round(self.score, 4),
                "statements": len(self.claim.statements)}


def claim_matches(corpus: Corpus, text: str, limit: int = 5) -> list[ClaimMatch]:
    """The known claims ``text`` repeats, best first (see :meth:`Corpus.match`)."""
    return [ClaimMatch(c, score) for c, score in corpus.match(text, limit)]


@dataclass(frozen=True, slots=True)
class SpeakerClaim:
    """A claim as an entity's page lists it: with the statements that entity made."""

    claim: Claim
    rank: int
    own: tuple[ClaimStatement, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the claim's id, rank, text, statement count, and the entity's statements' count,
        date range and stances (``by_entity``, ``first_date``, ``last_date``, ``stances``)."""
        dates = _dates(self.own)
        return {"id": self.claim.id, "rank": self.rank, "text": self.claim.text,
                "statements": len(self.claim.statements), "by_entity": len(self.own),
                "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
                "stances": stances(self.own)}


def claims_of_speaker(corpus: Corpus, entity_id: str) -> list[SpeakerClaim]:
    """The claims an entity made, the most repeated first, each with its statements by the entity."""
    out = []
    for rank, found in enumerate(corpus.claims(), 1):
        own = tuple(s for s in found.statements if s.speaker == entity_id)
        if own:
            out.append(SpeakerClaim(found, rank, own))
    return out


@dataclass(frozen=True, slots=True)
class ArticleClaim:
    """A claim as an article's page lists it: with the article's statements of it, in text order."""

    claim: Claim
    rank: int
    here: tuple[ClaimStatement, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the claim's id, rank, text, statement count, and ``here`` (the article's statements)."""
        return {"id": self.claim.id, "rank": self.rank, "text": self.claim.text,
                "statements": len(self.claim.statements),
                "here": [{"start": s.start, "end": s.end, "text": s.text, "stance": s.stance, "speaker": s.speaker,
                          "speaker_name": s.speaker_name, "quote": s.quote} for s in self.here]}


def claims_of_article(corpus: Corpus, article_id: str) -> list[ArticleClaim]:
    """The claims an article's statements belong to, the most repeated first."""
    out = []
    for rank, found in enumerate(corpus.claims(), 1):
        here = tuple(sorted((s for s in found.statements if s.article == article_id), key=lambda s: s.start))
        if here:
            out.append(ArticleClaim(found, rank, here))
    return out
