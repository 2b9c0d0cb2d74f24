"""The model judge: a multimodal chat model watches the film and scores it.

Two wire paths, both given the rubric of every criterion in the prompt and
asked for an integer 1-5 and a one-sentence justification per criterion:

- Gemini (google-genai): the film itself is uploaded and referenced.
- Any OpenAI-compatible vision model: frames sampled across the film, the
  voice lines heard in its track, and a description of its sound as measured
  by perception (loudness, speech/music/noise share, onsets, clipping).

An answer that is not JSON, leaves a criterion out or scores it outside 1-5 is
sent back once with the problems named; what is still wrong after that is
reported missing with the reason, never filled in. A judge that does not
answer at all leaves every criterion missing with the provider's error.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from typing import Any

import httpx

from filmcrew.errors import ConfigurationError, ProviderError
from filmcrew.filmeval.criteria import CODES, criteria
from filmcrew.filmeval.intent import FilmIntent
from filmcrew.filmeval.result import CriterionVerdict, FilmScore
from filmcrew.tools.perception import Perception, perceive

__all__ = ["ModelJudge", "judge_prompt", "parse_verdicts", "sample_frames"]

_SYSTEM = ("You are a film critic on the FilmEval panel. You score a short film on twelve criteria, each on "
           "an integer scale from 1 to 5 following its rubric, judging only what the film shows and sounds like "
           "against the brief. Answer with one JSON object and nothing else.")


def judge_prompt(intent: FilmIntent, evidence: str) -> str:
    rubric = "\n\n".join(
        f"{c.code} — {c.name} ({c.dimension_name}): {c.question}\n{c.rubric_text()}" for c in criteria())
    brief = intent.brief.text if intent.brief else "(no brief was given: judge Script Faithfulness as unknown, score it null)"
    audience = f"{intent.audience.name}: {intent.audience.description}" if intent.audience else "a general audience"
    fields = ", ".join(f'"{c}": {{"score": <1-5>, "why": "<one sentence>"}}' for c in CODES)
    return (f"BRIEF:\n{brief}\n\nTARGET AUDIENCE: {audience}\n\nWHAT YOU ARE GIVEN:\n{evidence}\n\n"
            f"CRITERIA AND RUBRICS:\n{rubric}\n\n"
            f"Reply with exactly this JSON object: {{{fields}}}. Each score is an integer from 1 to 5; "
            "each why is one sentence naming what you saw or heard.")


def _extract_json(text: str) -> Any:
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the answer")
    return json.loads(text[start:end + 1])


def parse_verdicts(text: str) -> tuple[dict[str, CriterionVerdict], dict[str, str]]:
    """Valid verdicts, and a problem per criterion that has none."""
    try:
        data = _extract_json(text)
    except ValueError as exc:
        return {}, {c: f"the answer was not a JSON object ({exc})" for c in CODES}
    if not isinstance(data, dict):
        return {}, {c: "the answer was not a JSON object" for c in CODES}
    good: dict[str, CriterionVerdict] = {}
    problems: dict[str, str] = {}
    for code in CODES:
        entry = data.get(code)
        if entry is None:
            problems[code] = "the judge gave no score"
            continue
        score, why = (entry.get("score"), str(entry.get("why", "")).strip()) if isinstance(entry, dict) else (entry, "")
        try:
            value = float(score)
        except (TypeError, ValueError):
            problems[code] = f"the judge answered {score!r}, not a number"
            continue
        if value != int(value):
            problems[code] = f"the judge answered {score}, not an integer"
        elif not 1 <= value <= 5:
            problems[code] = f"the judge answered {score}, outside 1-5"
        else:
            good[code] = CriterionVerdict(score=int(value), why=why or "(no justification given)")
    return good, problems


def sample_frames(path: str, count: int = 8, width: int = 512) -> list[tuple[float, bytes]]:
    """(time, JPEG) for `count` frames spread evenly through the film."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    try:
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or 0
        fps = cap.get(cv2.CAP_PROP_FPS) or 24.0
        out = []
        for k in range(count):
            index = int((k + 0.5) * total / count) if total else k
            cap.set(cv2.CAP_PROP_POS_FRAMES, index)
            ok, frame = cap.read()
            if not ok:
                continue
            h, w = frame.shape[:2]
            if w > width:
                frame = cv2.resize(frame, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)
            ok, jpg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if ok:
                out.append((index / fps, jpg.tobytes()))
        return out
    finally:
        cap.release()


def sound_description(p: Perception) -> str:
    a = p.audio
    if not a.present:
        return "The film has no sound track."
    if a.integrated_lufs is None:
        return "The sound track is silent."
    return (f"Measured from the film's sound track: integrated loudness {a.integrated_lufs:.1f} LUFS, loudness range "
            f"{a.loudness_range_lu:.1f} LU, peak {a.peak_dbfs:.1f} dBFS, {a.clipping_share:.2%} clipped samples; "
            f"speech in {a.speech_share:.0%}, music in {a.music_share:.0%}, other sound in {a.noise_share:.0%} and "
            f"silence in {a.silence_share:.0%} of the film (heuristic classes); {a.onset_rate:.1f} sound onsets per second.")


def transcript(intent: FilmIntent, p: Perception) -> str:
    """The planned voice lines that the film's track confirms as speech, with their times."""
    speech = [(t, t + 1.5) for t, label in p.audio.classes if label == "speech"]
    heard = [s for s in intent.spoken if any(min(s.end, b) > max(s.start, a) for a, b in speech)]
    if not heard:
        return "No speech is heard (or no script of it is available)."
    return "\n".join(f"[{s.start:5.1f}s] {s.text}" for s in heard)


class ModelJudge:
    """Scores films with `provider:model` (openai-compatible or gemini)."""

    def __init__(self, provider: str, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 frames: int = 8, timeout: float = 120.0, retries: int = 2, reasks: int = 1):
        if provider not in ("openai", "gemini"):
            raise ConfigurationError(f"judge provider {provider!r} is unknown: use openai:MODEL or gemini:MODEL (or offline)")
        self.provider, self.model = provider, model
        self.name = f"{provider}:{model}"
        self.base_url = base_url
        self.api_key = api_key
        self.frames, self.timeout, self.retries, self.reasks = frames, timeout, retries, reasks
        if provider == "openai":
            self.base_url = (base_url or os.environ.get("FILMCREW_JUDGE_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
            self.api_key = api_key or os.environ.get("FILMCREW_JUDGE_API_KEY") or os.environ.get("OPENAI_API_KEY")
            if not self.api_key and self.base_url.startswith("https://api.openai.com"):
                raise ConfigurationError("the openai judge needs OPENAI_API_KEY (or FILMCREW_JUDGE_API_KEY)")
        else:
            self.api_key = api_key or os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")
            if not self.api_key:
                raise ConfigurationError("the gemini judge needs GEMINI_API_KEY (or GOOGLE_API_KEY)")
            try:
                import google.genai  # noqa: F401
            except ImportError as exc:
                raise ConfigurationError("the gemini judge needs google-genai: pip install 'filmcrew[gemini]'") from exc

    # -- one film ------------------------------------------------------------------
    def judge(self, intent: FilmIntent) -> FilmScore:
        p = perceive(intent.film)
        try:
            if self.provider == "openai":
                verdicts, problems = self._openai(intent, p)
            else:
                verdicts, problems = self._gemini(intent, p)
        except ProviderError as exc:
            verdicts, problems = {}, {c: f"the judge did not answer ({exc})" for c in CODES}
        for code, problem in problems.items():
            verdicts[code] = CriterionVerdict.missing(problem)
        return FilmScore.from_verdicts(intent.run, verdicts)

    def _converse(self, ask: Any) -> tuple[dict[str, CriterionVerdict], dict[str, str]]:
        """Ask, then re-ask once with the problems named; keep what was valid each time."""
        answer = ask(None)
        good, problems = parse_verdicts(answer)
        for _ in range(self.reasks):
            if not problems:
                break
            note = "; ".join(f"{c}: {p}" for c, p in problems.items())
            answer = ask((answer, f"Your answer had problems: {note}. Reply again with the full JSON object; "
                                         "every score an integer from 1 to 5."))
            more, problems = parse_verdicts(answer)
            good.update({c: v for c, v in more.items() if c not in good})
            problems = {c: p for c, p in problems.items() if c not in good}
        return good, problems

    # -- OpenAI-compatible vision models --------------------------------------------
    def _openai(self, intent: FilmIntent, p: Perception) -> tuple[dict[str, CriterionVerdict], dict[str, str]]:
        frames = sample_frames(str(intent.film), self.frames)
        evidence = (f"{len(frames)} frames sampled evenly through the {p.video.duration if p.video else p.audio.duration:.1f} s film "
                    f"(times given before each image); the speech heard, as a transcript:\n{transcript(intent, p)}\n"
                    f"The sound: {sound_description(p)}")
        prompt = judge_prompt(intent, evidence)
        content: list[dict[str, Any]] = [{"type": "text", "text": prompt}]
        for t, jpg in frames:
            content.append({"type": "text", "text": f"Frame at {t:.1f} s:"})
            content.append({"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + base64.b64encode(jpg).decode()}})

        def ask(follow_up: tuple[str, str] | None) -> str:
            messages: list[dict[str, Any]] = [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": content}]
            if follow_up:
                messages += [{"role": "assistant", "content": follow_up[0]}, {"role": "user", "content": follow_up[1]}]
            body = {"model": self.model, "messages": messages, "temperature": 0}
            data = self._post_json(f"{self.base_url}/chat/completions", body)
            try:
                return str(data["choices"][0]["message"]["content"] or "")
            except (KeyError, IndexError, TypeError):
                raise ProviderError("the judge's reply had no message", provider=self.provider) from None

        return self._converse(ask)

    def _post_json(self, url: str, body: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        last = ""
        for attempt in range(self.retries + 1):
            try:
                r = httpx.post(url, json=body, headers=headers, timeout=self.timeout)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if r.status_code == 200:
                    try:
                        return r.json()
                    except ValueError:
                        last = "the reply was not JSON"
                elif r.status_code in (429, 500, 502, 503, 504):
                    last = f"HTTP {r.status_code}"
                else:
                    raise ProviderError(f"HTTP {r.status_code}: {r.text[:200]}", provider=self.provider, status=r.status_code)
            if attempt < self.retries:
                time.sleep(min(4.0, 0.25 * 2 ** attempt))
        raise ProviderError(last or "no answer", provider=self.provider, retryable=True)

    # -- Gemini: the film itself ------------------------------------------------------
    def _gemini(self, intent: FilmIntent, p: Perception) -> tuple[dict[str, CriterionVerdict], dict[str, str]]:
        from google import genai
        from google.genai import errors as genai_errors
        from google.genai import types

        options = types.HttpOptions(base_url=self.base_url, timeout=int(self.timeout * 1000)) if self.base_url else types.HttpOptions(timeout=int(self.timeout * 1000))
        client = genai.Client(api_key=self.api_key, http_options=options)
        try:
            uploaded = client.files.upload(file=str(intent.film), config=types.UploadFileConfig(mime_type="video/mp4"))
            deadline = time.monotonic() + self.timeout
            while uploaded.state is not None and str(getattr(uploaded.state, "value", uploaded.state)) == "PROCESSING":
                if time.monotonic() > deadline:
                    raise ProviderError("the uploaded film was still processing at the timeout", provider="gemini")
                time.sleep(1.0)
                uploaded = client.files.get(name=uploaded.name)
        except genai_errors.APIError as exc:
            raise ProviderError(f"upload failed: {exc}", provider="gemini", status=getattr(exc, "code", None)) from exc
        except (httpx.HTTPError, KeyError, ValueError) as exc:  # the SDK reports a broken upload protocol this way
            raise ProviderError(f"upload failed: {exc}", provider="gemini") from exc
        evidence = ("The film itself is attached: watch and listen to all of it. For reference, the voice lines the "
                    f"film-maker planned:\n{transcript(intent, p)}")
        prompt = judge_prompt(intent, evidence)
        part = types.Part.from_uri(file_uri=uploaded.uri, mime_type=uploaded.mime_type or "video/mp4")

        def ask(follow_up: tuple[str, str] | None) -> str:
            contents: list[Any] = [types.Content(role="user", parts=[part, types.Part.from_text(text=prompt)])]
            if follow_up:
                contents += [types.Content(role="model", parts=[types.Part.from_text(text=follow_up[0])]),
                             types.Content(role="user", parts=[types.Part.from_text(text=follow_up[1])])]
            last = ""
            for attempt in range(self.retries + 1):
                try:
                    resp = client.models.generate_content(
                        model=self.model, contents=contents,
                        config=types.GenerateContentConfig(system_instruction=_SYSTEM, temperature=0,
                                                           response_mime_type="application/json"))
                    return resp.text or ""
                except genai_errors.APIError as exc:
                    last = f"HTTP {getattr(exc, 'code', '?')}: {getattr(exc, 'message', exc)}"
                    if getattr(exc, "code", 0) not in (429, 500, 502, 503, 504):
                        break
                except httpx.HTTPError as exc:
                    last = f"{type(exc).__name__}: {exc}"
                if attempt < self.retries:
                    time.sleep(min(4.0, 0.25 * 2 ** attempt))
            raise ProviderError(last or "no answer", provider="gemini")

        return self._converse(ask)
