"""Framing: the words and phrases that set one source's coverage of a story apart from the others'.

Each group (by default a source) is compared with the rest of the story by the log-odds ratio
with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"): the prior
is the story's own word distribution, so a phrase every outlet uses scores near zero and a rare
phrase one outlet used once is shrunk towards zero instead of topping the list as raw counts
or unsmoothed ratios would. Terms are single content words and pairs of adjacent ones.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from storyline.records import Article, Span, article_name
from storyline.stages.events.records import FramingTerm
from storyline.stages.events.text import fold, stop_words
from storyline.stages.sentences import ArticleSentences, sentence_spans

# Total pseudo-counts of the Dirichlet prior (alpha_0), spread over terms by their share of the
# story. Monroe et al. scale the prior to the size of the texts compared; 100 pseudo-words let
# a term used three or four times by one outlet and never by the others stand out (z > 1.5 on
# the example corpus) while a term used once stays below z = 1.
PRIOR_PSEUDO_COUNTS = 100.0
# Terms returned per group, the highest z first, and only those above MIN_Z (set apart).
TERMS_PER_GROUP = 12
MIN_Z = 0.5
# Sentences quoted per term (the first ones, in article and text order).
SENTENCES_PER_TERM = 3
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# A pair of words is not formed across these (quotes do not break "malign” influence").
_BREAK = re.compile(r"[.!?;:,()\[\]\n—–]")


# The outlet of an article whose publication is unknown (never its file name: a file is not an outlet).
UNKNOWN_OUTLET = "unknown outlet"


def source_label(article: Article) -> str:
    """The article's outlet (site name, URL domain, JSONL source or wire credit), else "unknown outlet"."""
    return article.source or UNKNOWN_OUTLET


def framing_group(article: Article) -> str:
    """Whose framing an article shows: its outlet; an article of unknown outlet stands alone (articles
    of unknown outlets are not one outlet), named by its title or first words."""
    if article.source:
        return article.source
    return f"{UNKNOWN_OUTLET}: {article_name(article)}"


def framing(
    articles: Sequence[Article],
    by: Callable[[Article], str] = framing_group,
    sentences: Mapping[str, ArticleSentences] | None = None,
) -> dict[str, list[FramingTerm]]:
    """For each group of ``articles`` (by source), its most distinctive terms with the sentences they come from.

    ``sentences`` are the stored sentence spans by article id (split here when missing). With
    fewer than two groups nothing sets one apart, and the result maps the group to [].
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], list[Span]] = defaultdict(list)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        group = by(article)
        spans = sentences[article.id].spans if sentences and article.id in sentences else sentence_spans(article.text)
        for start, end in spans:
            for term, form in sentence_terms(article.text, start, end):
                counts[group][term] += 1
                forms[term][form] += 1
                found = where[(group, term)]
                if len(found) < SENTENCES_PER_TERM and (not found or found[-1].start != start):
                    found.append(Span(article.id, start, end))
    if len(counts) < 2:
        return {group: [] for group in counts}
    total: Counter[str] = Counter()
    for group_counts in counts.values():
        total.update(group_counts)
    return {
        group: _distinctive(group, counts, total, where, forms) for group in sorted(counts)
    }


def sentence_terms(text: str, start: int, end: int) -> list[tuple[str, str]]:
    """(folded term, form as written) for the content words of ``text[start:end]`` and adjacent pairs."""
    stops = stop_words()
    out: list[tuple[str, str]] = []
    previous: tuple[str, int] | None = None
    last_end = start
    for match in _TOKEN.finditer(text, start, end):
        if _BREAK.search(text, last_end, match.start()):
            previous = None
        last_end = match.end()
        key = fold(match.group()).replace("’", "'")
        if key.endswith("'s"):
            key = key[:-2]
        if len(key) < 3 or key in stops:
            continue
        out.append((key, match.group()))
        if previous is not None:
            out.append((f"{previous[0]} {key}", text[previous[1] : match.end()]))
        previous = (key, match.start())
    return out


def log_odds_z(
    y_group: float, n_group: float, y_rest: float, n_rest: float, alpha: float, alpha0: float
) -> float:
    """Monroe et al.'s z-score of one term: log-odds in the group minus in the rest, over its deviation."""
    delta = math.log((y_group + alpha) / (n_group + alpha0 - y_group - alpha)) - math.log(
        (y_rest + alpha) / (n_rest + alpha0 - y_rest - alpha)
    )
    return delta / math.sqrt(1.0 / (y_group + alpha) + 1.0 / (y_rest + alpha))


def _distinctive(
    group: str,
    counts: Mapping[str, Counter[str]],
    total: Counter[str],
    where: Mapping[tuple[str, str], list[Span]],
    forms: Mapping[str, Counter[str]],
) -> list[FramingTerm]:
    n_total = sum(total.values())
    mine = counts[group]
    n_group = sum(mine.values())
    n_rest = n_total - n_group
    scored = []
    for term, y_group in mine.items():
        alpha = PRIOR_PSEUDO_COUNTS * total[term] / n_total
        z = log_odds_z(y_group, n_group, total[term] - y_group, n_rest, alpha, PRIOR_PSEUDO_COUNTS)
        if z > MIN_Z:
            scored.append((z, term))
    scored.sort(key=lambda zt: (-round(zt[0], 9), -zt[1].count(" "), zt[1]))  # a phrase before its word
    chosen: list[tuple[float, str]] = []
    for z, term in scored:
        # "military bloc" said three times makes "bloc" said three times redundant, and vice versa.
        if any(mine[other] == mine[term] and (term in other.split() or other in term.split()) for _z, other in chosen):
            continue
        chosen.append((z, term))
        if len(chosen) >= TERMS_PER_GROUP:
            break
    return [
        FramingTerm(forms[term].most_common(1)[0][0], z, mine[term], tuple(where[(group, term)])) for z, term in chosen
    ]
