"""Keep secrets out of everything we print or write.

A provider's error text, a model's reply or a saved config may carry an API
key: some servers echo the `Authorization` header back in their errors, and a
base URL may hold `user:password@`. `redact` replaces, in any text:

- the values of the keys configured in the environment (any variable whose
  name ends in `_API_KEY`, `_ACCESS_KEY`, `_SECRET_KEY`, `_SECRET`, `_TOKEN`
  or `_PASSWORD`, and the variables the config names with `api_key_env`),
- common key shapes (`sk-...`, `AIza...`, JSON web tokens, `Bearer ...`,
  `Authorization:`/`x-api-key:`/`xi-api-key:` header values, `key=` query
  parameters),
- credentials in URLs (`scheme://user:pass@host` becomes `scheme://***@host`).

`redact_data` applies the same to every string inside a JSON-like value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MASK", "redact", "redact_data", "secret_values", "register_secret_env"]

MASK = "***"

_SECRET_NAME = re.compile(r"(_API_KEY|_ACCESS_KEY|_SECRET_KEY|_SECRET|_TOKEN|_PASSWORD|^API_KEY)$", re.IGNORECASE)
# Variables named by a config's `api_key_env`, whatever their names.
_extra_names: set[str] = set()

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # URL credentials: keep the scheme and host, drop user:password.
    (re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s:@'\"]+(?::[^/\s@'\"]*)?@"), r"\g<scheme>" + MASK + "@"),
    # Header values a server may echo back.
    (re.compile(r"(?i)\b(authorization|proxy-authorization)(\"?\s*[:=]\s*\"?)(bearer\s+|basic\s+|token\s+)?[^\s\"',;}]+"), r"\1\2\3" + MASK),
    (re.compile(r"(?i)\b(x-api-key|xi-api-key|x-goog-api-key|api[_-]?key)(\"?\s*[:=]\s*\"?)[^\s\"',;&}]+"), r"\1\2" + MASK),
    (re.compile(r"(?i)([?&](?:key|api_key|apikey|token|access_token)=)[^&\s\"']+"), r"\1" + MASK),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"), "Bearer " + MASK),
    # Key shapes: OpenAI/Anthropic-style, Google, JWTs, ElevenLabs-style hex.
    (re.compile(r"\bsk-[A-Za-z0-9_-]{12,}"), MASK),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{30,}"), MASK),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), MASK),
]


def register_secret_env(names: Iterable[str]) -> None:
    """Treat these environment variables as secrets too (a config's `api_key_env`)."""
    _extra_names.update(n for n in names if n)


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """The configured secret values, longest first (so a key inside another is masked whole)."""
    env = os.environ if env is None else env
    values = {v for k, v in env.items() if (_SECRET_NAME.search(k) or k in _extra_names) and v and len(v) >= 6}
    return sorted(values, key=len, reverse=True)


def redact(text: str, *, env: Mapping[str, str] | None = None, extra: Iterable[str] = ()) -> str:
    """`text` with every configured key value, key shape and URL credential masked."""
    if not text:
        return text
    for value in [*secret_values(env), *(v for v in extra if v and len(v) >= 6)]:
        if value in text:
            text = text.replace(value, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def redact_data(value: Any, *, env: Mapping[str, str] | None = None) -> Any:
    """A copy of a JSON-like value with every string redacted (keys too)."""
    secrets = secret_values(env)

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return redact(v, env={}, extra=secrets)
        if isinstance(v, dict):
            return {walk(k) if isinstance(k, str) else k: walk(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [walk(x) for x in v]
        return v

    return walk(value)
