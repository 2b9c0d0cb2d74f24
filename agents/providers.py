"""Build the chat model for a role from its `ModelConfig`, and explain the choice.

`make_chat_client` turns a config section into an autogen
`ChatCompletionClient`:

- `craft`: the offline craft model, from the `craft_factory` the caller passes.
- `openai`: autogen's `OpenAIChatCompletionClient` for OpenAI or any
  OpenAI-compatible server (vLLM, Ollama, llama.cpp: set `base_url`).
- `gemini`: `GeminiChatCompletionClient` on google-genai, or the OpenAI client
  when `base_url` is Gemini's OpenAI-compatible endpoint (ends in `/openai/`).

Retries and timeouts (openai SDK 3.x, read from its source and tested
against a fake server). The SDK retries by itself, up to `max_retries` times,
on connection errors, timeouts, 408, 409, 429 and 5xx (not on other 4xx). It
waits what `retry-after-ms` or `retry-after` asks when that is more than 0 and
at most 120 s; a `retry-after: 0` or no header means an exponential backoff
from about 0.5 s (at most 8 s, minus up to 25% jitter); a server asking for
more than 120 s is not retried. Each attempt may take `timeout` seconds, so a
dead server costs up to (max_retries + 1) x timeout plus the backoffs. What is
left when retries are spent surfaces as a `ProviderError` whose `status` is
the HTTP status (None for a timeout or an unreachable server) and whose
`retryable` says whether trying later may help. The Gemini client does the
same with its own loop (see `gemini_client.py`).

`describe_chat_providers` reports, per role, what `make_chat_client` would
build and whether it can (`filmcrew doctor`); it never contacts a server.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from autogen_core.models import ChatCompletionClient, CreateResult, ModelFamily, ModelInfo
from pydantic import BaseModel

from filmcrew.config import ROLE_NAMES, FilmcrewConfig, ModelConfig
from filmcrew.errors import ConfigurationError, ProviderError

if TYPE_CHECKING:  # pragma: no cover
    import openai

    from filmcrew.status import ProviderStatus

__all__ = [
    "make_chat_client",
    "describe_chat_providers",
    "default_model_info",
    "openai_error_to_provider_error",
    "json_schema_response_format",
    "native_output_args",
    "LOCAL_SERVER_API_KEY",
]

#: Sent as the API key to an OpenAI-compatible server that needs none (Ollama,
#: vLLM, llama.cpp): the SDK refuses to start without some key.
LOCAL_SERVER_API_KEY = "filmcrew-local-no-key"

_GEMINI_KEY_VARS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
_OPENAI_EXTRA_HINT = "pip install 'autogen-ext[openai]==0.7.5' (a core dependency of filmcrew: reinstall filmcrew)"
_GEMINI_EXTRA_HINT = "pip install 'filmcrew[gemini]'"


def default_model_info(model: str = "", *, vision: bool = False) -> ModelInfo:
    """What we assume about a model autogen does not know: tools, JSON mode and
    structured output on, vision off (Gemini models: on), family from the name."""
    family = model if model in _known_families() else ModelFamily.UNKNOWN
    return ModelInfo(
        vision=vision,
        function_calling=True,
        json_output=True,
        structured_output=True,
        family=family,
    )


def _known_families() -> set[str]:
    from typing import get_args

    return set(get_args(ModelFamily.ANY))


def _is_gemini_openai_endpoint(base_url: str | None) -> bool:
    return bool(base_url) and base_url.rstrip().endswith("/openai/")


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def _find_key(cfg: ModelConfig, env: Mapping[str, str]) -> tuple[str | None, str]:
    """The key and the variable it came from (or the one to set)."""
    if cfg.api_key_env:
        return (env.get(cfg.api_key_env) or None), cfg.api_key_env
    names = _GEMINI_KEY_VARS if cfg.provider == "gemini" else ("OPENAI_API_KEY",)
    for name in names:
        if env.get(name):
            return env[name], name
    return None, names[0]


def _key_hint(cfg: ModelConfig, var: str) -> str:
    if cfg.provider == "gemini" and not cfg.api_key_env:
        return "set GEMINI_API_KEY (or GOOGLE_API_KEY)"
    return f"set {var}"


def _model_info_for(cfg: ModelConfig, *, gemini: bool) -> ModelInfo:
    if cfg.model_info:
        # A partial model_info is completed from the defaults, so a user may
        # write only `{vision: true}` for a local multimodal model.
        return ModelInfo(**{**default_model_info(cfg.model, vision=gemini), **cfg.model_info})  # type: ignore[typeddict-item]
    try:
        from autogen_ext.models.openai import _model_info as known

        return known.get_info(cfg.model)
    except (ValueError, KeyError):
        # autogen only knows OpenAI/Gemini/Claude names; anything served by
        # vLLM/Ollama/llama.cpp needs model_info, so we supply one.
        return default_model_info(cfg.model, vision=gemini)


# --------------------------------------------------------------------------
# OpenAI-compatible servers
# --------------------------------------------------------------------------


def openai_error_to_provider_error(
    exc: BaseException, *, provider: str, base_url: str | None, key_env: str | None, timeout: float, max_retries: int
) -> ProviderError | None:
    """The `ProviderError` for an openai SDK exception (None if `exc` is not one)."""
    import openai

    where = f" at {base_url}" if base_url else ""
    retries = f"after {max_retries} retr{'y' if max_retries == 1 else 'ies'}" if max_retries else "with retries off"
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError(
            f"{provider}{where} did not answer within {timeout:g}s ({retries}): raise `timeout` in the config "
            "or check the server",
            provider=provider,
            status=None,
            retryable=True,
        )
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(
            f"cannot reach {provider}{where} ({retries}): {exc}. Is the server running and the base_url right?",
            provider=provider,
            status=None,
            retryable=True,
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _openai_error_message(exc)
        # The SDK retries only these statuses, so only these were retried.
        retryable = status in (408, 409, 429) or status >= 500
        if status == 401:
            hint = f"check {key_env}" if key_env else "check the API key"
            text = f"{provider}{where} rejected the API key (HTTP 401: {detail}): {hint}"
        elif status == 403:
            text = f"{provider}{where} refused the request (HTTP 403: {detail}): the key lacks access to this model"
        elif status == 404:
            text = f"{provider}{where} has no such model or endpoint (HTTP 404: {detail}): check `model` and `base_url`"
        elif status == 429:
            text = f"{provider}{where} is rate limiting us (HTTP 429: {detail}), still {retries}: wait, or lower concurrency"
        elif retryable:
            text = f"{provider}{where} failed with HTTP {status} ({retries}): {detail}"
        else:
            text = f"{provider}{where} rejected the request with HTTP {status}: {detail}"
        return ProviderError(text, provider=provider, status=status, retryable=retryable)
    if isinstance(exc, openai.OpenAIError):
        return ProviderError(f"{provider}{where}: {exc}", provider=provider, status=None, retryable=False)
    return None


def _openai_error_message(exc: "openai.APIStatusError") -> str:
    body = exc.body
    if isinstance(body, dict):
        # The SDK hands over the "error" object of the JSON body (or the whole body).
        inner = body.get("error")
        message = inner.get("message") if isinstance(inner, dict) else body.get("message")
        if message:
            return str(message)
    return str(exc.message)


def json_schema_response_format(output_type: type[BaseModel]) -> dict[str, Any]:
    """OpenAI's `response_format` asking for JSON that follows `output_type`'s schema.

    Not `strict`: strict mode needs every field required and no free-form
    maps, which filmcrew's outputs have (edit parameters); the caller
    validates the reply and feeds a mismatch back to the model.
    """
    name = re.sub(r"[^A-Za-z0-9_-]", "_", output_type.__name__)[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": output_type.model_json_schema(), "strict": False}}


def native_output_args(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """`create` arguments with a pydantic `json_output` sent as a JSON-schema
    `response_format` instead.

    autogen sends a pydantic output type through the SDK's parse helper,
    which refuses any tool that is not `strict` ("`watch_cut` is not strict.
    Only `strict` function tools can be auto-parsed") before a byte is sent,
    so a role that calls tools could not run on an OpenAI-compatible model.
    As a `response_format` the schema travels with ordinary tools.
    """
    args = dict(kwargs)
    output_type = args.get("json_output")
    if isinstance(output_type, type) and issubclass(output_type, BaseModel):
        args["json_output"] = None
        args["extra_create_args"] = {**(args.get("extra_create_args") or {}), "response_format": json_schema_response_format(output_type)}
    return args


def _openai_client_class() -> type[ChatCompletionClient]:
    try:
        from autogen_ext.models.openai import OpenAIChatCompletionClient
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ConfigurationError(f"the OpenAI chat client is not installed: {_OPENAI_EXTRA_HINT}") from exc

    import warnings

    # autogen warns on every call when a server reports a model name it cannot
    # map (Ollama answers "llama3.2:latest" to "llama3.2"); the mapping only
    # feeds tiktoken cost estimates, which filmcrew never uses.
    warnings.filterwarnings("ignore", message="Resolved model mismatch", category=UserWarning)

    class _ProviderErrorsOpenAIClient(OpenAIChatCompletionClient):  # type: ignore[misc, valid-type]
        """autogen's client, with SDK errors raised as `ProviderError` (still an
        `OpenAIChatCompletionClient`, and it serialises as one)."""

        def __init__(self, *, filmcrew_provider: str, filmcrew_key_env: str | None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._fc_provider = filmcrew_provider
            self._fc_key_env = filmcrew_key_env

        def _translate(self, exc: BaseException) -> BaseException:
            mapped = openai_error_to_provider_error(
                exc,
                provider=self._fc_provider,
                base_url=self._raw_config.get("base_url"),
                key_env=self._fc_key_env,
                timeout=float(self._raw_config.get("timeout") or 600.0),
                max_retries=int(self._raw_config.get("max_retries", 2)),
            )
            return mapped if mapped is not None else exc

        @contextlib.contextmanager
        def _provider_errors(self) -> Iterator[None]:
            # The one translation `create` and `create_stream` share: an SDK
            # error leaves as a `ProviderError` chained to it; anything else
            # propagates untouched.
            try:
                yield
            except Exception as exc:
                mapped = self._translate(exc)
                if mapped is exc:
                    raise
                raise mapped from exc

        # Both forward every argument to autogen's method as given (but the
        # output type, see `native_output_args`), so the wrapper keeps
        # autogen's signatures (and any parameter a later autogen adds)
        # instead of restating them.
        async def create(self, *args: Any, **kwargs: Any) -> CreateResult:
            with self._provider_errors():
                return await super().create(*args, **native_output_args(kwargs))

        async def create_stream(self, *args: Any, **kwargs: Any) -> AsyncGenerator[str | CreateResult, None]:
            with self._provider_errors():
                async for item in super().create_stream(*args, **native_output_args(kwargs)):
                    yield item

    # Found by pickle (autogen's client pickles) through the module __getattr__.
    _ProviderErrorsOpenAIClient.__qualname__ = "_ProviderErrorsOpenAIClient"
    _ProviderErrorsOpenAIClient.__module__ = __name__
    return _ProviderErrorsOpenAIClient


def __getattr__(name: str) -> Any:
    # The wrapper subclasses autogen's OpenAI client, whose import costs ~0.4 s:
    # build it on first use so `filmcrew doctor` and the craft model stay quick.
    if name == "_ProviderErrorsOpenAIClient":
        cls = _openai_client_class()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _make_openai(cfg: ModelConfig, api_key: str, key_env: str | None, *, provider: str, gemini: bool) -> ChatCompletionClient:
    client_class = globals().get("_ProviderErrorsOpenAIClient") or __getattr__("_ProviderErrorsOpenAIClient")
    kwargs: dict[str, Any] = {
        "model": cfg.model,
        "api_key": api_key,
        "model_info": _model_info_for(cfg, gemini=gemini),
        "timeout": cfg.timeout,
        "max_retries": cfg.max_retries,
    }
    if cfg.base_url:
        kwargs["base_url"] = cfg.base_url
    if cfg.temperature is not None:
        kwargs["temperature"] = cfg.temperature
    return client_class(filmcrew_provider=provider, filmcrew_key_env=key_env, **kwargs)


# --------------------------------------------------------------------------
# The factory
# --------------------------------------------------------------------------


def make_chat_client(
    cfg: ModelConfig,
    *,
    env: Mapping[str, str] | None = None,
    craft_factory: Callable[[], ChatCompletionClient] | None = None,
) -> ChatCompletionClient:
    """The chat model `cfg` names. Raises `ConfigurationError` (saying what to set
    or install) when it cannot be built; never contacts a server."""
    environ = _env(env)
    if cfg.provider == "craft":
        if craft_factory is None:
            raise ConfigurationError("provider 'craft' needs the craft model: pass craft_factory= to make_chat_client")
        return craft_factory()
    if cfg.provider == "scripted":
        raise ConfigurationError(
            "provider 'scripted' is for tests: build filmcrew.testing.ScriptedChatCompletionClient with a script "
            "and hand it to the crew directly"
        )
    if cfg.provider == "openai":
        api_key, var = _find_key(cfg, environ)
        if api_key is None:
            if cfg.base_url and not cfg.api_key_env:
                # A local server (Ollama, vLLM, llama.cpp) takes no key.
                return _make_openai(cfg, LOCAL_SERVER_API_KEY, var, provider="openai", gemini=False)
            raise ConfigurationError(
                f"chat model {cfg.model!r} (openai) needs an API key: set {var}"
                + ("" if cfg.base_url else ", or set base_url to a local OpenAI-compatible server")
            )
        return _make_openai(cfg, api_key, var, provider="openai", gemini=False)
    if cfg.provider == "gemini":
        api_key, var = _find_key(cfg, environ)
        if api_key is None:
            raise ConfigurationError(f"chat model {cfg.model!r} (gemini) needs an API key: {_key_hint(cfg, var)}")
        if _is_gemini_openai_endpoint(cfg.base_url):
            return _make_openai(cfg, api_key, var, provider="gemini", gemini=True)
        from filmcrew.agents.gemini_client import GeminiChatCompletionClient, gemini_model_info

        return GeminiChatCompletionClient(
            model=cfg.model,
            api_key=api_key,
            base_url=cfg.base_url,
            timeout=cfg.timeout,
            max_retries=cfg.max_retries,
            temperature=cfg.temperature,
            model_info={**gemini_model_info(cfg.model), **cfg.model_info} if cfg.model_info else None,  # type: ignore[typeddict-item]
            api_key_env=var,
        )
    raise ConfigurationError(f"unknown chat provider {cfg.provider!r}: use craft, openai or gemini")


def describe_chat_providers(cfg: FilmcrewConfig, env: Mapping[str, str] | None = None) -> list[ProviderStatus]:
    """One `ProviderStatus` row per role and per task with a model of its own (the row shape clips and speech report in too)."""
    from filmcrew.status import provider_status

    environ = _env(env)
    roles = list(ROLE_NAMES) + [r for r in cfg.roles if r not in ROLE_NAMES]
    rows: list[ProviderStatus] = []
    for role in roles:
        mc = cfg.model_for(role)
        configured, reason = _diagnose(mc, environ)
        rows.append(provider_status(
            "chat", mc.provider, role=role, model=mc.model, base_url=mc.base_url,
            configured=configured, in_use=True, reason=reason,
        ))
    for task, mc in sorted(cfg.tasks.items()):
        configured, reason = _diagnose(mc, environ)
        rows.append(provider_status(
            "chat", mc.provider, role=f"task {task}", model=mc.model, base_url=mc.base_url,
            configured=configured, in_use=True, reason=reason,
        ))
    return rows


def _sdk_installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _diagnose(mc: ModelConfig, env: Mapping[str, str]) -> tuple[bool, str]:
    if mc.provider == "craft":
        return True, "offline craft model: no key needed"
    if mc.provider == "scripted":
        return False, "scripted test model: only for tests (filmcrew.testing.ScriptedChatCompletionClient)"
    api_key, var = _find_key(mc, env)
    if mc.provider == "openai":
        if not _sdk_installed("openai"):
            return False, f"openai SDK missing: {_OPENAI_EXTRA_HINT}"
        if api_key:
            where = f" for {mc.base_url}" if mc.base_url else ""
            return True, f"{var} is set{where}"
        if mc.base_url and not mc.api_key_env:
            return True, f"local OpenAI-compatible server at {mc.base_url}: no key needed ({var} unset)"
        return False, f"{var} missing: set it" + ("" if mc.base_url else ", or set base_url to a local server")
    if mc.provider == "gemini":
        via_openai = _is_gemini_openai_endpoint(mc.base_url)
        if via_openai and not _sdk_installed("openai"):
            return False, f"openai SDK missing: {_OPENAI_EXTRA_HINT}"
        if not via_openai and not _sdk_installed("google.genai"):
            return False, f"google-genai missing: {_GEMINI_EXTRA_HINT}"
        if not api_key:
            return False, f"{' or '.join(_GEMINI_KEY_VARS) if not mc.api_key_env else var} missing: {_key_hint(mc, var)}"
        how = "via the OpenAI-compatible endpoint" if via_openai else "via google-genai"
        return True, f"{var} is set ({how})"
    return False, f"unknown provider {mc.provider!r}: use craft, openai or gemini"
