"""The public API: what ``storyline`` exports is importable and deliberate."""

from __future__ import annotations

import storyline


def test_all_names_exist_and_are_sorted() -> None:
    assert storyline.__all__ == sorted(storyline.__all__)
    for name in storyline.__all__:
        assert hasattr(storyline, name), name


def test_the_core_entry_points_are_public() -> None:
    for name in ("ingest_files", "analyse", "open_store", "build_export", "validate_export", "Article"):
        assert name in storyline.__all__
