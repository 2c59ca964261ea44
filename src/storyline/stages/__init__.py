"""Analysis stages: one module (or package) per stage, each with a single entry function.

Importing this package registers every stage with the pipeline, in dependency order.
"""

from storyline.stages import register  # noqa: F401
