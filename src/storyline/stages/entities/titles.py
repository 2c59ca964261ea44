"""Titles and descriptions of people: "Interior Minister Aleksandar Vulin", "Vulin, a former
intelligence chief", "the Balkan nation's deputy prime minister", "the Serbian leader"."""

from __future__ import annotations

from spacy.tokens import Doc, Token

# Head nouns of titles and of descriptions that refer to one person (lemma, lower case).
TITLE_HEADS = frozenset(
    """president minister premier chancellor secretary senator governor mayor chief spokesman
    spokeswoman spokesperson ambassador leader chairman chairwoman chair director ceo head
    representative congressman congresswoman judge justice general commander king queen prince
    princess pope envoy adviser advisor aide strategist nominee candidate frontrunner front-runner
    speaker attorney prosecutor commissioner sheriff minister-president manager founder executive
    official lawmaker legislator diplomat economist analyst professor president-elect dictator
    monarch emir sultan sheikh patriarch cardinal bishop officer colonel lieutenant captain
    sergeant admiral marshal deputy vice-president treasurer comptroller superintendent
    administrator coordinator counsel whip delegate councillor councilor councilman
    councilwoman pollster consultant columnist editor publisher reporter correspondent
    anchor host moderator owner partner billionaire businessman businesswoman activist""".split()
)
# Heads so generic that a description with only them ("the official", "the leader") says nothing
# about which title someone holds; such descriptions are resolved but not recorded as roles.
GENERIC_HEADS = frozenset("leader official head chief aide adviser advisor executive".split())
# Lower-case words that may stand inside a title ("deputy prime minister", "former ... chief").
TITLE_MODIFIERS = frozenset(
    """deputy prime vice foreign interior defense defence finance justice health education
    trade economy economic energy transport culture agriculture labor labour home state
    former acting outgoing incoming interim first second senior chief general executive
    intelligence security military national federal presidential press campaign foreign-policy
    assistant associate principal top former-""".split()
)
# Title-case words that end a title scan leftwards (a sentence-initial "The" or a verb).
_STOP_POS = frozenset(["DET", "VERB", "AUX", "ADP", "PRON", "CCONJ", "SCONJ", "PUNCT", "PART", "NUM", "SPACE"])
_FINITE = frozenset(["VBD", "VBZ", "VBP", "MD"])
STEM = 5  # words compare by their first five letters: "minister"/"ministry", "serbia's"/"serbian"


def stem(word: str) -> str:
    """The comparison stem of a title word."""
    return word.lower().replace("’", "'").split("'")[0][:STEM]


def is_title_head(tok: Token) -> bool:
    """Whether ``tok`` can head a title ("Minister", "president", "chief")."""
    return tok.lemma_.lower() in TITLE_HEADS or tok.lower_ in TITLE_HEADS


def _title_word(tok: Token) -> bool:
    if tok.pos_ in _STOP_POS or tok.tag_ == "POS" or tok.ent_type_ in ("DATE", "TIME", "CARDINAL"):
        return False
    return tok.is_title or tok.is_upper or tok.lower_ in TITLE_MODIFIERS or is_title_head(tok)


def title_before(doc: Doc, first: int) -> tuple[int, int] | None:
    """Token range [a, b) of a title right before the name starting at token ``first``."""
    if first == 0 or not is_title_head(doc[first - 1]) or not doc[first - 1].whitespace_:
        return None
    start = first - 1
    while start > 0 and _title_word(doc[start - 1]) and doc[start - 1].whitespace_:
        start -= 1
    while start < first - 1 and doc[start].pos_ == "ADJ" and doc[start].ent_type_ != "NORP" and (
        doc[start].lower_ not in TITLE_MODIFIERS
    ):
        start += 1  # "Populist President X": an adjective that is not part of the title
    return start, first


def appositive_title(name_root: Token) -> tuple[int, int] | None:
    """Token range of a title in apposition: "Vulin, a former intelligence chief who ...\"."""
    doc = name_root.doc
    for child in name_root.rights:
        if child.dep_ == "appos" and is_title_head(child) and child.tag_ not in ("NNS", "NNPS"):
            after = child.right_edge.i + 1
            if after < len(doc) and doc[after].tag_ in _FINITE:
                return None  # "with Sputnik, the head of the ministry said": a subject, misparsed
            return description_range(child)
    return None


def description_range(head: Token) -> tuple[int, int]:
    """Token range of a title phrase around its head, without article or possessor, keeping an
    "of" phrase ("head of the Serbian Defense Ministry")."""
    doc = head.doc
    start = head.left_edge.i
    for child in head.lefts:
        if child.dep_ in ("det", "poss", "predet", "punct", "case"):
            start = max(start, child.right_edge.i + 1)
    start = min(start, head.i)
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
            end = child.right_edge.i + 1
            break
    while end > head.i + 1 and doc[end - 1].is_punct:
        end -= 1
    return start, end


def description_words(doc: Doc, start: int, end: int) -> set[str]:
    """Stems of the content words of a title or description (with its possessor, e.g. Serbia's)."""
    return {stem(t.text) for t in doc[start:end] if not t.is_stop and not t.is_punct and t.tag_ != "POS"}
