"""Analysis stages: one module (or package) per stage, each with a single entry function.

Importing this package registers every stage with the pipeline, in dependency order: the
``run_*`` modules (and ``register`` for sentences and reuse) bind each stage's pure functions
to the store.
"""

from storyline.stages import register, run_claims, run_events, run_people  # noqa: F401
