"""People, organisations and places: mentions, roles and quotes per article, entities per corpus.

``analyse_people(article)`` is a pure function of one article (one spaCy parse, reused for
mentions, roles and quotes); ``EntityRegistry.add`` resolves its result against the corpus.
"""

from storyline.stages.entities.analyse import analyse_people
from storyline.stages.entities.records import (
    ArticlePeople,
    Entity,
    EntityRole,
    LocalEntity,
    Mention,
    RoleMention,
    entity_to_export,
)
from storyline.stages.entities.registry import EntityRegistry

__all__ = [
    "ArticlePeople",
    "Entity",
    "EntityRegistry",
    "EntityRole",
    "LocalEntity",
    "Mention",
    "RoleMention",
    "analyse_people",
    "entity_to_export",
]
