"""Roles and the agent that plays them.

A role is data (`RoleSpec`: name, description, prompt file, tools, typed
outputs, and the offline rules the craft model plays it by: an
`OfflineRule`, or an `OfflineToolRule` that calls the role's tools first);
`RoleAgent` is the autogen-agentchat agent that plays one inside the crew's
team. The offline default chat model, `CraftChatCompletionClient`, answers
every task from its role's rules (the built-in roles' live in
`filmcrew.agents.craft`, one module per role); `make_chat_client` builds a
real provider (any OpenAI-compatible server, or Gemini) from config.
"""

from filmcrew.agents.agent import Assignment, RejectedOutput, RoleAgent
from filmcrew.agents.builtin import AUDIENCE, BUILTIN_ROLES, CINEMATOGRAPHER, EDITOR, SCREENWRITER, SOUND_DESIGNER
from filmcrew.agents.role import OfflineRule, OfflineToolRule, RoleSpec, normalise_role_name

__all__ = [
    "RoleSpec",
    "OfflineRule",
    "OfflineToolRule",
    "normalise_role_name",
    "RoleAgent",
    "Assignment",
    "RejectedOutput",
    "SCREENWRITER",
    "CINEMATOGRAPHER",
    "AUDIENCE",
    "EDITOR",
    "SOUND_DESIGNER",
    "BUILTIN_ROLES",
    "CraftChatCompletionClient",
    "make_chat_client",
]


def __getattr__(name: str):
    # The craft model and providers pull in more of autogen; load them on first use.
    if name == "CraftChatCompletionClient":
        from filmcrew.agents.craft import CraftChatCompletionClient

        return CraftChatCompletionClient
    if name == "make_chat_client":
        from filmcrew.agents.providers import make_chat_client

        return make_chat_client
    raise AttributeError(name)
