"""A rendered task states its context in tagged sections that read back as data."""

from filmcrew.prompts import load_prompt
from filmcrew.prompts.sections import read_sections, read_task, task_line


def test_sections_read_back_json_and_text():
    text = "\n".join([
        task_line("plan_camera"),
        "Plan the shots. A <script> mentioned inline is not a section.",
        "<script>",
        '{"blocks": [{"prompt": "<b> & \\"c\\""}]}',
        "</script>",
        "<feedback>",
        "s1: closer",
        "</feedback>",
    ])
    assert read_task(text) == "plan_camera"
    assert read_sections(text) == {"script": {"blocks": [{"prompt": '<b> & "c"'}]}, "feedback": "s1: closer"}


def test_a_text_without_a_task_line_names_no_task():
    assert read_task("Plan the shots.\nTask: plan_camera") is None


def test_a_built_in_template_states_each_context_item_once_and_it_reads_back():
    variables = {"script": {"blocks": [{"id": "b1", "prompt": "A cat <runs> & \"hides\""}]}, "target_duration": 8.0,
                 "use_references": True, "notes": ["more rain"], "feedback": "b1-s1: establish the market"}
    text = load_prompt("cinematographer").task("plan_camera").render(variables)
    assert read_sections(text) == variables
    assert text.count("A cat") == 1 and text.count("more rain") == 1
