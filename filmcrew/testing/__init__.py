"""Deterministic doubles for testing crews, roles and tools without a model or a key.

`ScriptedChatCompletionClient` (in `filmcrew.testing.scripted`) answers from a
script and records every request, so a test can drive an agent through tool
calls and structured output and assert what it was asked. The local servers
`filmcrew.testing.openai_server` and `filmcrew.testing.gemini_server` speak
OpenAI's chat completions and Gemini's generateContent over real HTTP on
127.0.0.1 and answer from the craft model whatever model is asked for, so a
crew, a custom role or a plugin can run over the real wire without a key:
`python -m filmcrew.testing.openai_server --port 8700`, then point
`base_url` at it.
"""

from __future__ import annotations

from typing import Any

from filmcrew.testing import scripted as _scripted
from filmcrew.testing.scripted import (
    ScriptedCall,
    ScriptedChatCompletionClient,
    ScriptedReply,
    ScriptExhaustedError,
    scripted_json,
    tool_call,
)

# The scripted client's public names are listed once, in its module; the
# package adds the two servers it loads on first use.
__all__ = [*_scripted.__all__, "OpenAIChatServer", "GeminiChatServer"]


def __getattr__(name: str) -> Any:
    # The servers bring the craft model (and so the built-in roles) with them;
    # a test that only scripts replies does not pay for that.
    if name == "OpenAIChatServer":
        from filmcrew.testing.openai_server import OpenAIChatServer

        return OpenAIChatServer
    if name == "GeminiChatServer":
        from filmcrew.testing.gemini_server import GeminiChatServer

        return GeminiChatServer
    raise AttributeError(f"module 'filmcrew.testing' has no attribute {name!r}")
