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


def test_every_public_name_has_a_home_and_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, storyline; print('spacy' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    assert set(storyline.__all__) == set(storyline._HOMES)
