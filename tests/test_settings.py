"""Settings: declared ranges refuse bad values with a message naming the setting."""

import pytest

from storyline.errors import StorylineError
from storyline.settings import load_settings


def test_min_confidence_defaults_to_showing_everything(tmp_path):
    assert load_settings(cwd=tmp_path).min_confidence == 0.0


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_min_confidence_out_of_range_is_refused(tmp_path, value):
    with pytest.raises(StorylineError, match=r"min_confidence.*out of range"):
        load_settings({"min_confidence": value}, cwd=tmp_path)


def test_min_confidence_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_MIN_CONFIDENCE", "0.8")
    assert load_settings(cwd=tmp_path).min_confidence == 0.8


@pytest.mark.parametrize(("name", "value"), [("max_bytes", 0), ("max_bytes", -5), ("batch_size", 0)])
def test_sizes_must_be_positive(tmp_path, name, value):
    with pytest.raises(StorylineError, match=rf"{name}.*out of range"):
        load_settings({name: value}, cwd=tmp_path)
