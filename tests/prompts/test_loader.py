import pytest

from filmcrew.errors import ConfigurationError
from filmcrew.prompts import load_prompt, prompt_from_text
from filmcrew.config import ROLE_NAMES


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_builtin_prompts_load_and_declare_their_variables(role):
    prompt = load_prompt(role)
    assert prompt.system
    assert prompt.tasks


def test_a_template_using_an_undeclared_variable_fails_at_load():
    text = "system: hi\ntasks:\n  t:\n    requires: [a]\n    template: '{{ a }} {{ b }}'\n"
    with pytest.raises(ConfigurationError, match="uses b"):
        prompt_from_text(text, role="x")


def test_rendering_without_a_required_key_says_which():
    prompt = prompt_from_text("system: hi\ntasks:\n  t:\n    requires: [a, notes]\n    template: '{{ a }}'\n", role="x")
    with pytest.raises(ConfigurationError, match="needs notes"):
        prompt.task("t").render({"a": 1})
    assert prompt.task("t").render({"a": 1, "notes": []}) == "1"
