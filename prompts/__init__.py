"""Prompt files, one YAML per role, rendered with Jinja2 `StrictUndefined`."""

from filmcrew.prompts.loader import RolePrompt, TaskTemplate, load_prompt, prompt_from_text

__all__ = ["RolePrompt", "TaskTemplate", "load_prompt", "prompt_from_text"]
