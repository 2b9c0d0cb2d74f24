"""How a rendered task states its context, so that a reader can take it back.

A task template states each piece of context a model needs once, as a tagged
section on lines of its own:

    <script>
    {"blocks": [...]}
    </script>

with JSON inside (`{{ script | tojson }}`) or plain text. The tags are a
common way to delimit material in a prompt, so a real model reads them as
well as prose, and a reader without the crew's data (the craft model behind
`filmcrew.testing.openai_server`) gets the context back with `read_sections`.
The agent puts the task's name on the first line (`task_line`).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["read_sections", "task_line", "read_task"]

_SECTION_RE = re.compile(r"^<([A-Za-z_][A-Za-z0-9_]*)>\n(.*?)\n</\1>$", re.S | re.M)
_TASK_RE = re.compile(r"\ATask: ([A-Za-z_][A-Za-z0-9_]*)$", re.M)


def task_line(task: str) -> str:
    """The first line of a request: which task the role is asked to do."""
    return f"Task: {task}"


def read_task(text: str) -> str | None:
    """The task named on the first line of `text`, or None."""
    found = _TASK_RE.match(text)
    return found.group(1) if found else None


def read_sections(text: str) -> dict[str, Any]:
    """The tagged sections of a rendered task: JSON where the body is JSON, else the text."""
    sections: dict[str, Any] = {}
    for name, body in _SECTION_RE.findall(text):
        try:
            sections[name] = json.loads(body)
        except json.JSONDecodeError:
            sections[name] = body
    return sections
