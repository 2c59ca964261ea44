"""The read side: one typed view per subject, the one JSON shape the CLI's ``--json``, the API and the pages share.

Each module holds one subject's frozen views and the functions that build them from a
:class:`~storyline.read.corpus.Corpus` (and, for filtered lists, a :class:`~storyline.read.listing.Catalog`);
``view.to_dict()`` is that subject's JSON everywhere. The export keeps its own schema
(:mod:`storyline.export`); a view embeds export records where they coincide.

The queries the views are built from:

- :mod:`~storyline.read.corpus`: ``Corpus(store)``, the stage states loaded once per revision, and every
  query over them (find an entity, story or claim by any reference; quotes, events, stories, framing, matching)
- :mod:`~storyline.read.listing`: ``Catalog``, filtered and paginated lists over a corpus (``Filters``, ``Page``)
- :mod:`~storyline.read.search`: ``Searcher``, full-text and semantic search in one ranking
- :mod:`~storyline.read.summary`: the closing report of ``storyline run`` and ``storyline summary``

The views, one module per subject:

- :mod:`~storyline.read.articles`: an article's list row and its page (text, quotes, mentions, claims, copies)
- :mod:`~storyline.read.entities`: an entity's list row and its page (roles over time, quotes, articles, claims)
- :mod:`~storyline.read.quotes`: a quote as lists show it (with its article's label and date)
- :mod:`~storyline.read.stories`: events and stories in lists, a story's page (memberships, coverage, framing)
- :mod:`~storyline.read.claims`: a claim's summary, timeline and match; claim filters, ranks and stances
- :mod:`~storyline.read.reuse`: a reuse link in lists and a pair of articles side by side
- :mod:`~storyline.read.hits`: a search hit and a page of them
- :mod:`~storyline.read.overview`: the corpus at a glance

Modules are imported by name (``from storyline.read.claims import ...``); this package imports none of
them, so the query modules can use a view type (``Hit``, ``label``) without an import circle.
"""
