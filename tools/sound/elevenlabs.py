"""ElevenLabs text-to-speech and sound generation over its REST API.

We speak the wire protocol with httpx rather than through the SDK: it is a
core dependency, it can be pointed at any `base_url` (a proxy, or the fake
server the tests run on 127.0.0.1), and retries stay under our control.

- `POST /v1/text-to-speech/{voice_id}?output_format=...` with header
  `xi-api-key` and JSON `{"text", "model_id"}` answers the audio bytes.
- `POST /v1/sound-generation?output_format=...` with JSON
  `{"text", "duration_seconds", "prompt_influence"}` answers a sound effect.
- `GET /v1/voices` lists the account's voices.

429 and 5xx answers (and dropped connections) are retried with exponential
backoff, honouring `Retry-After`; 401 and other client errors fail at once
with a `ProviderError` that says what to fix. Audio is decoded (raw PCM, or
MP3 through ffmpeg), resampled to 48 kHz and written as WAV only when the
whole answer has arrived.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from filmcrew._http import retry_after_seconds
from filmcrew.errors import ConfigurationError, InputError, ProviderError
from filmcrew.tools.sound.speech import OUTPUT_RATE, SpeechClip, SpeechSynthesizer, VoiceOption, write_wav

__all__ = ["ElevenLabsSynthesizer", "PREMADE_VOICES", "PREMADE_TRAITS", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "https://api.elevenlabs.io"

# Premade voices available on every account, narrator first; names map to ids.
PREMADE_VOICES: dict[str, str] = {
    "George": "JBFqnCBsd6RMkjVDRZzb",
    "Rachel": "21m00Tcm4TlvDq8ikWAM",
    "Roger": "CwhRBWXzGAHq8TQ4Fs17",
    "Sarah": "EXAVITQu4vr4xnSDxMaL",
    "Drew": "29vD33N1CtxCmqQRPOHJ",
    "Aria": "9BWtsMINqrJLrRacOk9x",
    "Clyde": "2EiwWnXFnvU5JabPnv8n",
    "Domi": "AZnzlk1XvdvUeBnXmlld",
    "Dave": "CYw3kZ02Hs0563khs1Fj",
    "Fin": "D38z5RcWu1voky8WS1ja",
    "Paul": "5Q0t7uMcjvnagumLfvZi",
}

# What the premade voices sound like, for casting (ElevenLabs' own voice library labels).
PREMADE_TRAITS: dict[str, tuple[str, str]] = {
    "George": ("male", "adult"), "Rachel": ("female", "young"), "Roger": ("male", "adult"), "Sarah": ("female", "young"),
    "Drew": ("male", "adult"), "Aria": ("female", "adult"), "Clyde": ("male", "old"), "Domi": ("female", "young"),
    "Dave": ("male", "young"), "Fin": ("male", "old"), "Paul": ("male", "adult"),
}

_PCM = re.compile(r"^pcm_(\d+)$")


class ElevenLabsSynthesizer(SpeechSynthesizer):
    """ElevenLabs voices; `voice` may be a premade name, an account voice name or a voice id."""

    name = "elevenlabs"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        voice: str | None = None,
        model_id: str = "eleven_multilingual_v2",
        output_format: str = "mp3_44100_128",
        max_retries: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        timeout: float = 120.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        if not api_key:
            raise ConfigurationError("ElevenLabs needs an API key: set ELEVENLABS_API_KEY")
        self.api_key = api_key
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.model_id = model_id
        self.output_format = output_format
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self._transport = transport
        self._voice_ids: dict[str, str] = dict(PREMADE_VOICES)
        self.default_voice = voice

    # -- voices -----------------------------------------------------------------
    def voices(self) -> list[str]:
        names = list(self._voice_ids)
        if self.default_voice:
            names = [self.default_voice] + [n for n in names if n != self.default_voice]
        return names

    def voices_for(self, language: str) -> list[VoiceOption]:
        """Every voice speaks every language with the multilingual models, so the list is the same for all."""
        return [VoiceOption(v, *PREMADE_TRAITS.get(v, ("unknown", "unknown"))) for v in self.voices()]

    def voice_id(self, voice: str | None) -> str:
        voice = voice or self.voices()[0]
        return self._voice_ids.get(voice, voice)  # anything unknown is taken as an id

    async def list_voices(self) -> list[dict[str, Any]]:
        """The account's voices (`GET /v1/voices`); their names become usable here."""
        body = await self._request("GET", "/v1/voices")
        try:
            import json

            voices = json.loads(body).get("voices", [])
        except ValueError as exc:
            raise ProviderError("ElevenLabs sent an unreadable voice list", provider=self.name) from exc
        for v in voices:
            if v.get("name") and v.get("voice_id"):
                self._voice_ids[v["name"]] = v["voice_id"]
        return voices

    def describe(self) -> str:
        return f"elevenlabs ({self.model_id}, {self.base_url})"

    # -- synthesis ----------------------------------------------------------------
    async def synthesize(self, text: str, out_path: Path, *, voice: str | None = None) -> SpeechClip:
        text = " ".join((text or "").split())
        if not text:
            raise InputError("there is no text to speak")
        voice = voice or self.voices()[0]
        body = await self._request(
            "POST",
            f"/v1/text-to-speech/{self.voice_id(voice)}",
            params={"output_format": self.output_format},
            json={"text": text, "model_id": self.model_id},
        )
        samples = await asyncio.to_thread(self._decode, body)
        await asyncio.to_thread(write_wav, Path(out_path), samples, OUTPUT_RATE)
        return SpeechClip(path=Path(out_path), duration=len(samples) / OUTPUT_RATE, voice=voice, sample_rate=OUTPUT_RATE)

    async def sound_effect(
        self, description: str, duration: float | None, out_path: Path, *, prompt_influence: float = 0.3
    ) -> SpeechClip:
        """Generate a sound effect from a description (0.5-30 s; None lets the model choose).

        Returns a clip whose `voice` is "sound-generation"."""
        if not description.strip():
            raise InputError("describe the sound effect to generate")
        payload: dict[str, Any] = {"text": description.strip(), "prompt_influence": prompt_influence}
        if duration is not None:
            payload["duration_seconds"] = float(min(30.0, max(0.5, duration)))
        body = await self._request(
            "POST", "/v1/sound-generation", params={"output_format": self.output_format}, json=payload
        )
        samples = await asyncio.to_thread(self._decode, body)
        await asyncio.to_thread(write_wav, Path(out_path), samples, OUTPUT_RATE)
        return SpeechClip(path=Path(out_path), duration=len(samples) / OUTPUT_RATE, voice="sound-generation", sample_rate=OUTPUT_RATE)

    # -- wire -------------------------------------------------------------------
    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout, transport=self._transport)

    async def _request(self, method: str, path: str, *, params=None, json=None) -> bytes:
        headers = {"xi-api-key": self.api_key, "accept": "*/*"}
        attempts = self.max_retries + 1
        async with self._client() as client:
            for attempt in range(attempts):
                last = attempt == attempts - 1
                try:
                    resp = await client.request(method, path, params=params, json=json, headers=headers)
                except httpx.TransportError as exc:
                    if last:
                        raise ProviderError(
                            f"ElevenLabs is unreachable at {self.base_url} after {attempts} attempts: {exc}",
                            provider=self.name, retryable=True,
                        ) from exc
                    await asyncio.sleep(self._wait(attempt, None))
                    continue
                if resp.status_code == 200:
                    if not resp.content:
                        raise ProviderError("ElevenLabs answered with no audio", provider=self.name, status=200)
                    return resp.content
                detail = _error_detail(resp)
                if resp.status_code == 401:
                    raise ProviderError(
                        f"ElevenLabs rejected the API key (401: {detail}): check ELEVENLABS_API_KEY",
                        provider=self.name, status=401,
                    )
                if resp.status_code == 429 or resp.status_code >= 500:
                    if last:
                        raise ProviderError(
                            f"ElevenLabs kept failing ({resp.status_code}: {detail}) after {attempts} attempts; try again later",
                            provider=self.name, status=resp.status_code, retryable=True,
                        )
                    await asyncio.sleep(self._wait(attempt, resp.headers.get("retry-after")))
                    continue
                hint = {
                    404: "check the voice id or name",
                    422: "the request was refused as invalid",
                    400: "the request was refused",
                    403: "this plan may not allow the requested model or output format",
                }.get(resp.status_code, "")
                raise ProviderError(
                    f"ElevenLabs error {resp.status_code} on {path}: {detail}" + (f" ({hint})" if hint else ""),
                    provider=self.name, status=resp.status_code,
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before the next attempt: the server's Retry-After when given."""
        # The one Retry-After reader every provider shares (seconds or an HTTP date).
        asked = retry_after_seconds({"retry-after": retry_after}) if retry_after else None
        if asked is not None:
            return min(self.max_backoff, asked)
        return min(self.max_backoff, self.backoff * (2**attempt))

    def _decode(self, body: bytes) -> np.ndarray:
        """Audio bytes in the requested output format -> float mono at 48 kHz."""
        from scipy.signal import resample_poly

        m = _PCM.match(self.output_format)
        if m:
            rate = int(m.group(1))
            usable = len(body) - len(body) % 2
            x = np.frombuffer(body[:usable], dtype="<i2").astype(np.float64) / 32768.0
        else:
            x, rate = _decode_with_ffmpeg(body)
        if x.size == 0:
            raise ProviderError("ElevenLabs answered with empty audio", provider=self.name)
        if rate != OUTPUT_RATE:
            g = np.gcd(rate, OUTPUT_RATE)
            x = resample_poly(x, OUTPUT_RATE // g, rate // g)
        return x


def _decode_with_ffmpeg(body: bytes) -> tuple[np.ndarray, int]:
    import soundfile as sf

    from filmcrew.tools.media import run_ffmpeg

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "answer.bin", Path(tmp) / "decoded.wav"
        src.write_bytes(body)
        try:
            run_ffmpeg(["-i", str(src), "-ac", "1", "-c:a", "pcm_s16le", str(dst)])
        except Exception as exc:  # noqa: BLE001 - undecodable audio is a provider failure
            raise ProviderError(f"cannot decode the audio ElevenLabs sent: {exc}", provider="elevenlabs") from exc
        x, rate = sf.read(str(dst), dtype="float64")
    return np.asarray(x), int(rate)


def _error_detail(resp: httpx.Response) -> str:
    """The human part of an ElevenLabs error body: {"detail": {"status", "message"}} or a string."""
    try:
        data = resp.json()
    except ValueError:
        return (resp.text or resp.reason_phrase or "").strip()[:300]
    detail = data.get("detail", data) if isinstance(data, dict) else data
    if isinstance(detail, dict):
        return str(detail.get("message") or detail.get("status") or detail)[:300]
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return "; ".join(str(d.get("msg", d)) for d in detail)[:300]
    return str(detail)[:300]
