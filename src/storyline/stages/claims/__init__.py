"""Claims: the same proposition stated again and again, as a dated timeline with stances.

``article_statements(article, people)`` finds the statements of one article (a pure function: every
quote and reported statement split into its propositions, plus positions attributed to groups and
institutions), each with speaker, span, date, polarity, modality and MiniLM vector;
``ClaimIndex.add`` groups them with the corpus's statements into claims, incrementally.
"""

from storyline.stages.claims.dates import resolve_date
from storyline.stages.claims.extract import article_statements, articles_statements
from storyline.stages.claims.index import ClaimIndex, claim_to_export, pick_role
from storyline.stages.claims.records import STANCES, ArticleStatements, Claim, ClaimStatement, Stance, Statement

__all__ = [
    "STANCES",
    "ArticleStatements",
    "Claim",
    "ClaimIndex",
    "ClaimStatement",
    "Stance",
    "Statement",
    "article_statements",
    "articles_statements",
    "claim_to_export",
    "pick_role",
    "resolve_date",
]
