"""The craft model: the offline default chat model of every role.

A real `ChatCompletionClient` (`CraftChatCompletionClient`) that answers each
role's request with film-craft rules instead of a neural network. Each
built-in role's rules live in its own module (`screenwriter`,
`cinematographer`, `audience`, `editor`, `sound_designer`) and reach the
client through the role's `RoleSpec.offline_rules`, as a custom role's do;
`reading` and `voice` hold what several roles share (reading a brief and the
director's notes, fitting narration to shots). Everything the model says is
computed from its input: a different brief gives a different script, plan,
review and soundtrack.
"""

from __future__ import annotations

from typing import Any

from filmcrew.agents.craft.reading import brief_facts
from filmcrew.agents.craft.voice import WORDS_PER_SECOND, pack_voice

__all__ = ["CraftChatCompletionClient", "CRAFT_RULES", "brief_facts", "pack_voice", "WORDS_PER_SECOND"]


def __getattr__(name: str) -> Any:
    # The client pulls in autogen's model types and the built-in roles; the
    # rule modules do not need either, so both load on first use.
    if name == "CraftChatCompletionClient":
        from filmcrew.agents.craft.client import CraftChatCompletionClient

        return CraftChatCompletionClient
    if name == "CRAFT_RULES":
        from filmcrew.agents.craft.client import builtin_rules

        return builtin_rules()
    raise AttributeError(name)
