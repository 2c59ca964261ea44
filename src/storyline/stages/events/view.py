"""A story's view for the command line: its events in date order, their articles, and coverage per source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from storyline.errors import NotFoundError
from storyline.records import Article, article_name
from storyline.stages.events.framing import source_label
from storyline.stages.events.index import EventIndex
from storyline.stages.events.records import (
    CoverageArticle,
    Event,
    EventView,
    Story,
    StoryView,
)


def story_view(
    index: EventIndex,
    story_id: str,
    articles: Mapping[str, Article],
    label: Callable[[Article], str] = source_label,
    listed: tuple[Sequence[Story], Sequence[Event]] | None = None,
) -> StoryView:
    """The view of one story: events in date order (undated last), each with its articles, sources and dates.

    ``articles`` maps ids to the stored articles (at least the story's); ``label`` names an
    article's source (its domain, else its file name). ``listed`` passes the index's stories and
    events when the caller has them already (listing them costs ~1 ms per event). Raises
    NotFoundError for an unknown id.
    """
    story_id = index.story_id(story_id)  # an id merged into another story shows that story
    all_stories, all_events = listed if listed is not None else (index.stories(), index.events())
    story = next((s for s in all_stories if s.id == story_id), None)
    if story is None:
        raise NotFoundError(f"no story {story_id!r}")
    events = {e.id: e for e in all_events if e.story == story_id}
    coverage: Counter[str] = Counter()
    views = []
    for event_id in story.events:
        event = events[event_id]
        shown = tuple(_coverage_article(articles[a], label) for a in event.articles if a in articles)
        coverage.update(a.source for a in shown)
        views.append(EventView(event, shown, tuple(sorted({a.source for a in shown}))))
    ranked = tuple(sorted(coverage.items(), key=lambda kv: (-kv[1], kv[0])))
    return StoryView(story, tuple(views), ranked)


def _coverage_article(article: Article, label: Callable[[Article], str]) -> CoverageArticle:
    return CoverageArticle(article.id, label(article), article.published, article.title, article_name(article))
