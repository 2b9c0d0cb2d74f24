"""Prompt files, one YAML per role, rendered with Jinja2 `StrictUndefined`.

A task template states the context a model needs once, each piece as a
tagged section (`<script>` ... `</script>`, JSON inside); `sections` reads a
rendered task back as data, which is how the craft model behind the local
wire servers (`filmcrew.testing`) answers without the crew's request.
"""

from filmcrew.prompts.loader import RolePrompt, TaskTemplate, load_prompt, prompt_from_text
from filmcrew.prompts.sections import read_sections, read_task, task_line

__all__ = ["RolePrompt", "TaskTemplate", "load_prompt", "prompt_from_text", "read_sections", "read_task", "task_line"]
