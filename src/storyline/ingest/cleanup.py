"""Paragraph-level cleanup shared by every input format.

Removes what a news page leaves around an article: section labels before the headline,
comment counters, share prompts, advertising markers and "Related:" tails. Rules match whole
short paragraphs only, so a sentence of the article that mentions "comments" is never cut.
"""

from __future__ import annotations

import re

# A residue rule only ever removes a paragraph this short (words); longer ones are prose.
MAX_RESIDUE_WORDS = 12
# A "Related:" / "Read more:" block is a tail when every paragraph after it is a short link
# title (at most this many words); then the marker and the rest go.
MAX_LINK_TITLE_WORDS = 25
# A leading headline is at most this long; longer first paragraphs are the lede.
MAX_HEADLINE_WORDS = 30
MAX_HEADLINE_CHARS = 250
# A section label ("News", "World") before the headline is at most this many words.
MAX_LABEL_WORDS = 3

SECTION_LABELS = frozenset(
    (
        "news", "world", "politics", "business", "economy", "opinion", "analysis", "europe", "asia",
        "africa", "americas", "sport", "sports", "culture", "science", "technology", "tech", "health",
        "breaking", "exclusive", "live", "video", "update", "latest", "home", "local", "national",
        "international", "feature", "features", "interview",
        "world news", "breaking news", "top stories", "live updates",
    )
)

_RESIDUE = re.compile(
    r"""(?ix)
    \d*\s*comments?(?:\s+on\s+this\s+(?:article|story|post|page))?\s*\d*
    | (?:view|show|load|read|leave|add|post|see)\s+(?:all\s+)?(?:\d+\s+)?(?:a\s+)?comments?
    | (?:share|tweet|e-?mail|print|pin|save)(?:\s+(?:this|on|via|to)\b.{0,40})?
    | (?:click|tap)\s+(?:here\s+)?to\s+(?:share|subscribe|comment|read|follow|sign\s+up).{0,60}
    | advertisement | advertising | sponsored(?:\s+content)? | skip\s+advertisement
    | (?:scroll\s+to\s+continue|story\s+continues\s+below).{0,40}
    | (?:follow|like)\s+us\s+on\s+.{0,80}
    | (?:sign\s+up|subscribe)\s+(?:to|for)\s+(?:our|the)\s+.{0,60}
    | \d{1,4}
    """
)
_TAIL_MARKER = re.compile(
    r"(?i)^(?:related(?:\s+(?:articles?|stories|coverage|content|news|posts|reading))?|read\s+(?:more|also|next)"
    r"|see\s+also|more\s+on\s+this(?:\s+story)?|recommended|you\s+may\s+also\s+like|also\s+read)\s*:"
)
# Pages that lost their paragraph markup glue sentences together ("pledged.Explaining"); a
# space is put back only between a lower-case word's full stop and a capitalised word, which
# leaves abbreviations (U.S.Army has no lower-case pair) and domain names (all lower case) alone.
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[a-z]{2}[.!?][”\"])(?=[A-Z][a-z])")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_TERMINAL = re.compile(r"""[.,;:]["'”’»)]*$""")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text`` with their inner whitespace collapsed.

    Blank lines separate paragraphs when the text has any; otherwise each line is one,
    unless the lines look hard-wrapped (then they are joined).
    """
    text = text.strip()
    if not text:
        return []
    if _PARAGRAPH_BREAK.search(text):
        blocks = _PARAGRAPH_BREAK.split(text)
    elif _looks_hard_wrapped(text.split("\n")):
        blocks = [text]
    else:
        blocks = text.split("\n")
    return [_GLUED_SENTENCE.sub(" ", p) for p in (" ".join(b.split()) for b in blocks) if p]


def _looks_hard_wrapped(lines: list[str]) -> bool:
    body = [ln.strip() for ln in lines[:-1] if ln.strip()]
    if len(body) < 3:
        return False
    wrapped = [ln for ln in body if 40 <= len(ln) <= 100 and not _TERMINAL.search(ln) and not ln.endswith(("!", "?"))]
    return len(wrapped) >= 0.6 * len(body)


def is_residue(paragraph: str) -> bool:
    """True for a short paragraph of page furniture (counters, share prompts, ads)."""
    return len(paragraph.split()) <= MAX_RESIDUE_WORDS and _RESIDUE.fullmatch(paragraph.strip()) is not None


def clean_paragraphs(paragraphs: list[str], title: str | None = None) -> list[str]:
    """Drop page residue, a "Related:" tail, and a first paragraph that repeats the title."""
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if _TAIL_MARKER.match(paragraph) and len(paragraph.split()) <= MAX_LINK_TITLE_WORDS:
            rest = paragraphs[index + 1 :]
            if all(len(p.split()) <= MAX_LINK_TITLE_WORDS for p in rest):
                break
            continue
        if not is_residue(paragraph):
            kept.append(paragraph)
    if title and kept and _fold(kept[0]) == _fold(title):
        kept = kept[1:]
    return kept


def split_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Take section labels and a leading headline off plain text: (title or None, rest)."""
    rest = list(paragraphs)
    while len(rest) > 1 and _is_label(rest[0], rest[1:]):
        rest.pop(0)
    if len(rest) > 1 and _is_headline(rest[0]):
        return rest[0], rest[1:]
    return None, rest


def _is_label(paragraph: str, following: list[str]) -> bool:
    if _fold(paragraph) in SECTION_LABELS:
        return True
    # An unknown short label counts only when a headline and a body follow it.
    short = len(paragraph.split()) <= MAX_LABEL_WORDS and not _TERMINAL.search(paragraph)
    return short and len(following) > 1 and _is_headline(following[0])


def _is_headline(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        len(words) <= MAX_HEADLINE_WORDS
        and len(paragraph) <= MAX_HEADLINE_CHARS
        and not _TERMINAL.search(paragraph)
        and paragraph[:1] not in "\"“‘'«"
    )


def _fold(value: str) -> str:
    return " ".join(value.casefold().split())
