"""Fake video-generation servers on 127.0.0.1 that speak the real wire protocols.

Each fake keeps jobs in memory and serves one real tiny MP4, so the real SDK
(google-genai, openai) or the real HTTP code drives a whole render: create,
poll, download. Knobs set a scenario before a test runs:

- `pending_polls`: status checks answered "still running" before the job ends;
- `refusal`: the job ends failed, with this reason (a content refusal);
- `throttle`: the first N create requests get a 429 with `Retry-After: retry_after`;
- `server_errors`: the first N status checks get a 503;
- a request with the wrong credentials gets a 401.

Every request is recorded (`requests`), so a test can count calls and check
what went over the wire.

- `FakeVeoServer`: Vertex AI express mode, as google-genai 3.x sends it:
  `POST /v1beta1/publishers/google/models/{model}:predictLongRunning` and
  `POST /v1beta1/{model resource}:fetchPredictOperation`.
- `FakeSoraServer`: `POST /v1/videos` (multipart), `GET /v1/videos/{id}`,
  `GET /v1/videos/{id}/content`.
- `FakeKlingServer`: `POST /v1/videos/{image2video|text2video}`,
  `GET /v1/videos/{kind}/{task_id}` (JWT-checked), and the CDN download.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import re
import time
import uuid
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

from .http import LocalHTTPServer, RecordedRequest, Reply

__all__ = [
    "RecordedRequest",
    "FakeVideoServer",
    "FakeVeoServer",
    "FakeSoraServer",
    "FakeKlingServer",
    "make_tiny_mp4",
]


def make_tiny_mp4(path: Path, *, seconds: float = 1.0, size: tuple[int, int] = (160, 90), fps: int = 24) -> bytes:
    """A real, playable H.264 test pattern; returns its bytes."""
    from filmcrew.tools.media import run_ffmpeg

    run_ffmpeg([
        "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size[0]}x{size[1]}:rate={fps}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path),
    ])
    return Path(path).read_bytes()


class FakeVideoServer(LocalHTTPServer):
    """Shared video-job machinery: a request log, the scenario knobs, jobs."""

    def __init__(
        self,
        clip: bytes,
        *,
        pending_polls: int = 0,
        refusal: str | None = None,
        throttle: int = 0,
        retry_after: str = "0",
        server_errors: int = 0,
    ):
        super().__init__()
        self.clip = clip
        self.pending_polls = pending_polls
        self.refusal = refusal
        self.throttle = throttle
        self.retry_after = retry_after
        self.server_errors = server_errors
        self.requests: list[RecordedRequest] = []
        self.jobs: dict[str, dict[str, Any]] = {}

    def count(self, method: str | None = None, path_part: str = "") -> int:
        return sum(
            1 for r in self.requests if (method is None or r.method == method) and path_part in r.path
        )

    def respond(self, request: RecordedRequest) -> Reply:
        # Handled under the lock so that the knob counters (throttle,
        # server_errors, polls) each count one request at a time.
        with self._lock:
            self.requests.append(request)
            return self.handle(request)

    # -- scenario helpers used by the subclasses -------------------------------
    def _take_throttle(self) -> bool:
        if self.throttle > 0:
            self.throttle -= 1
            return True
        return False

    def _take_server_error(self) -> bool:
        if self.server_errors > 0:
            self.server_errors -= 1
            return True
        return False

    def _new_job(self, prefix: str = "", **info: Any) -> tuple[str, dict[str, Any]]:
        job_id = prefix + uuid.uuid4().hex[:12]
        job = {"polls_left": self.pending_polls, "polls": 0, **info}
        self.jobs[job_id] = job
        return job_id, job

    @staticmethod
    def _advance(job: dict[str, Any]) -> bool:
        """Count one status check; True once the job is finished."""
        job["polls"] += 1
        if job["polls_left"] > 0:
            job["polls_left"] -= 1
            return False
        return True

    def handle(self, request: RecordedRequest) -> Reply:  # pragma: no cover - abstract
        raise NotImplementedError


# -- Veo (Vertex AI express mode) ---------------------------------------------


_VEO_RESPONSE_TYPE = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse"


class FakeVeoServer(FakeVideoServer):
    _CREATE = re.compile(r"^/v1beta1/publishers/google/models/(?P<model>[^/:]+):predictLongRunning$")
    _FETCH = re.compile(r"^/v1beta1/(?P<resource>projects/[^:]+/models/[^/:]+):fetchPredictOperation$")

    _FILE = re.compile(r"^/files/(?P<op>[^/?]+)\.mp4$")

    def __init__(
        self,
        clip: bytes,
        *,
        api_key: str = "veo-test-key",
        op_error: str | None = None,
        video_uri: str | None = None,
        **knobs: Any,
    ):
        """`video_uri`: answer with a `gcsUri` instead of inline bytes; "http"
        points it at this server's `/files/{op}.mp4` (key required), any other
        value is sent as is (e.g. a gs:// bucket path)."""
        super().__init__(clip, **knobs)
        self.api_key = api_key
        self.op_error = op_error
        self.video_uri = video_uri

    @staticmethod
    def _error(code: int, status: str, message: str, headers: dict[str, str] | None = None) -> Reply:
        return Reply(code, {"error": {"code": code, "message": message, "status": status}}, headers or {})

    def handle(self, request: RecordedRequest) -> Reply:
        if request.headers.get("x-goog-api-key") != self.api_key:
            return self._error(401, "UNAUTHENTICATED", "API key not valid. Please pass a valid API key.")
        served = self._FILE.match(request.path)
        if served and request.method == "GET":
            if served.group("op") not in self.jobs:
                return self._error(404, "NOT_FOUND", "file not found")
            return Reply(200, self.clip, {"Content-Type": "video/mp4"})
        if request.method != "POST":
            return self._error(404, "NOT_FOUND", f"no route for {request.method} {request.path}")
        create = self._CREATE.match(request.path)
        if create:
            if self._take_throttle():
                return self._error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for online prediction requests.",
                                   {"Retry-After": self.retry_after})
            body = request.json or {}
            instance = (body.get("instances") or [{}])[0]
            if not instance.get("prompt") and not instance.get("image"):
                return self._error(400, "INVALID_ARGUMENT", "A prompt or an image is required.")
            model = create.group("model")
            op_id, _ = self._new_job(model=model, request=body)
            name = f"projects/fake-project/locations/us-central1/publishers/google/models/{model}/operations/{op_id}"
            return Reply(200, {"name": name})
        fetch = self._FETCH.match(request.path)
        if fetch:
            if self._take_server_error():
                return self._error(503, "UNAVAILABLE", "The service is currently unavailable.")
            name = (request.json or {}).get("operationName", "")
            job = self.jobs.get(name.rpartition("/operations/")[2])
            if job is None or not name.startswith(fetch.group("resource") + "/operations/"):
                return self._error(404, "NOT_FOUND", f"operation {name} not found")
            if not self._advance(job):
                return Reply(200, {"name": name})
            if self.op_error:
                return Reply(200, {"name": name, "done": True, "error": {"code": 3, "message": self.op_error}})
            response: dict[str, Any] = {"@type": _VEO_RESPONSE_TYPE}
            if self.refusal:
                response.update(raiMediaFilteredCount=1, raiMediaFilteredReasons=[self.refusal])
            elif self.video_uri:
                op_id = name.rpartition("/operations/")[2]
                uri = f"{self.url}/files/{op_id}.mp4" if self.video_uri == "http" else self.video_uri
                response["videos"] = [{"gcsUri": uri, "mimeType": "video/mp4"}]
            else:
                encoded = base64.b64encode(self.clip).decode()
                response["videos"] = [{"bytesBase64Encoded": encoded, "mimeType": "video/mp4"}]
            return Reply(200, {"name": name, "done": True, "response": response})
        return self._error(404, "NOT_FOUND", f"no route for {request.method} {request.path}")


# -- Sora (OpenAI videos API) -------------------------------------------------


class FakeSoraServer(FakeVideoServer):
    SECONDS = ("4", "8", "12")
    SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
    _ONE = re.compile(r"^/v1/videos/(?P<id>[^/?]+)(?P<content>/content)?(?:\?.*)?$")

    def __init__(self, clip: bytes, *, api_key: str = "sk-test", **knobs: Any):
        super().__init__(clip, **knobs)
        self.api_key = api_key

    @staticmethod
    def _error(status: int, message: str, code: str | None, *, type_: str = "invalid_request_error",
               headers: dict[str, str] | None = None) -> Reply:
        error = {"message": message, "type": type_, "param": None, "code": code}
        return Reply(status, {"error": error}, headers or {})

    @staticmethod
    def _parse_multipart(request: RecordedRequest) -> dict[str, Any]:
        raw = b"Content-Type: " + request.headers.get("content-type", "").encode() + b"\r\n\r\n" + request.body
        message = BytesParser(policy=HTTP).parsebytes(raw)
        form: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if part.get_filename():
                form[name] = {"filename": part.get_filename(), "content_type": part.get_content_type(), "data": payload}
            else:
                form[name] = payload.decode()
        return form

    def _video(self, video_id: str, job: dict[str, Any], status: str) -> dict[str, Any]:
        out = {
            "id": video_id, "object": "video", "created_at": int(time.time()), "model": job["model"],
            "progress": 100 if status in ("completed", "failed") else 50, "seconds": job["seconds"],
            "size": job["size"], "status": status, "prompt": job["prompt"],
        }
        if status == "failed":
            out["error"] = {"code": "moderation_blocked", "message": self.refusal}
        return out

    def handle(self, request: RecordedRequest) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self._error(401, "Incorrect API key provided.", "invalid_api_key")
        if request.method == "POST" and request.path == "/v1/videos":
            if self._take_throttle():
                return self._error(429, "Rate limit reached for videos per minute.", "rate_limit_exceeded",
                                   type_="requests", headers={"Retry-After": self.retry_after})
            form = request.form = self._parse_multipart(request)
            seconds, size = form.get("seconds", "4"), form.get("size", "720x1280")
            if seconds not in self.SECONDS:
                return self._error(400, f"Invalid value for 'seconds': {seconds}.", "invalid_value")
            if size not in self.SIZES:
                return self._error(400, f"Invalid value for 'size': {size}.", "invalid_value")
            ref = form.get("input_reference")
            if ref is not None:
                from PIL import Image

                with Image.open(io.BytesIO(ref["data"])) as img:
                    if "x".join(map(str, img.size)) != size:
                        message = "Inpaint image must match the requested width and height"
                        return self._error(400, message, "invalid_value")
            video_id, job = self._new_job(
                "video_", model=form.get("model", "sora-2"), seconds=seconds, size=size, prompt=form.get("prompt")
            )
            return Reply(200, self._video(video_id, job, "queued"))
        match = self._ONE.match(request.path)
        if request.method == "GET" and match:
            job = self.jobs.get(match.group("id"))
            if job is None:
                return self._error(404, f"Video {match.group('id')} not found", "not_found")
            if match.group("content"):
                if not job.get("done") or self.refusal:
                    return self._error(404, "Video is not ready", "not_found")
                return Reply(200, self.clip, {"Content-Type": "video/mp4"})
            if self._take_server_error():
                return self._error(503, "The server is overloaded.", None, type_="server_error")
            if not self._advance(job):
                return Reply(200, self._video(match.group("id"), job, "in_progress"))
            job["done"] = True
            return Reply(200, self._video(match.group("id"), job, "failed" if self.refusal else "completed"))
        return self._error(404, f"no route for {request.method} {request.path}", "not_found")


# -- Kling ----------------------------------------------------------------------


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakeKlingServer(FakeVideoServer):
    _CREATE = re.compile(r"^/v1/videos/(?P<kind>image2video|text2video)$")
    _QUERY = re.compile(r"^/v1/videos/(?P<kind>image2video|text2video)/(?P<task>[^/?]+)$")
    _MEDIA = re.compile(r"^/media/(?P<task>[^/?]+)\.mp4$")

    def __init__(self, clip: bytes, *, access_key: str = "ak-test", secret_key: str = "sk-secret", **knobs: Any):
        super().__init__(clip, **knobs)
        self.access_key = access_key
        self.secret_key = secret_key

    @staticmethod
    def _envelope(data: Any, *, code: int = 0, message: str = "SUCCEED", status: int = 200,
                  headers: dict[str, str] | None = None) -> Reply:
        body = {"code": code, "message": message, "request_id": uuid.uuid4().hex, "data": data}
        return Reply(status, body, headers or {})

    def _token_problem(self, header: str | None) -> str | None:
        """Why the bearer token is not acceptable, or None when it is."""
        if not header or not header.startswith("Bearer "):
            return "Authorization header is missing"
        parts = header.removeprefix("Bearer ").split(".")
        if len(parts) != 3:
            return "Authorization token is not a JWT"
        try:
            head = json.loads(_b64url_decode(parts[0]))
            claims = json.loads(_b64url_decode(parts[1]))
            signature = _b64url_decode(parts[2])
        except (ValueError, binascii.Error):
            return "Authorization token is malformed"
        if head.get("alg") != "HS256":
            return "Authorization token must be HS256"
        expected = hmac.new(self.secret_key.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return "Authorization signature is invalid"
        if claims.get("iss") != self.access_key:
            return "Access key not found"
        now = time.time()
        if not (claims.get("nbf", 0) <= now < claims.get("exp", 0)):
            return "Authorization token has expired or is not yet valid"
        return None

    def handle(self, request: RecordedRequest) -> Reply:
        media = self._MEDIA.match(request.path)
        if media and request.method == "GET":
            # The CDN needs no token.
            job = self.jobs.get(media.group("task"))
            if job is None or not job.get("done"):
                return Reply(404, b"not found", {"Content-Type": "text/plain"})
            return Reply(200, self.clip, {"Content-Type": "video/mp4"})
        problem = self._token_problem(request.headers.get("authorization"))
        if problem:
            return self._envelope(None, code=1004, message=problem, status=401)
        create = self._CREATE.match(request.path)
        if create and request.method == "POST":
            if self._take_throttle():
                return self._envelope(None, code=1302, message="API request rate limit exceeded", status=429,
                                      headers={"Retry-After": self.retry_after})
            body = request.json or {}
            if body.get("duration") not in ("5", "10"):
                return self._envelope(None, code=1201, message="duration must be '5' or '10'", status=400)
            if create.group("kind") == "image2video":
                image = body.get("image") or ""
                if image.startswith("data:"):
                    message = "image must be base64 without a data: prefix"
                    return self._envelope(None, code=1201, message=message, status=400)
                from PIL import Image

                try:
                    with Image.open(io.BytesIO(base64.b64decode(image, validate=True))) as img:
                        if min(img.size) < 300:
                            return self._envelope(None, code=1201, message="image must be at least 300px", status=400)
                except (ValueError, binascii.Error, OSError):
                    return self._envelope(None, code=1201, message="image is not a valid base64 image", status=400)
            elif body.get("aspect_ratio") not in ("16:9", "9:16", "1:1"):
                return self._envelope(None, code=1201, message="aspect_ratio is invalid", status=400)
            task_id, _ = self._new_job(kind=create.group("kind"), request=body)
            now = int(time.time() * 1000)
            return self._envelope({"task_id": task_id, "task_status": "submitted", "task_info": {},
                                   "created_at": now, "updated_at": now})
        query = self._QUERY.match(request.path)
        if query and request.method == "GET":
            job = self.jobs.get(query.group("task"))
            if job is None or job["kind"] != query.group("kind"):
                return self._envelope(None, code=1203, message="task not found", status=404)
            if self._take_server_error():
                return self._envelope(None, code=5001, message="server busy", status=503)
            data: dict[str, Any] = {"task_id": query.group("task"), "created_at": 0, "updated_at": 0}
            if not self._advance(job):
                data["task_status"] = "processing"
            elif self.refusal:
                data.update(task_status="failed", task_status_msg=self.refusal)
            else:
                job["done"] = True
                task = query.group("task")
                video = {"id": f"v-{task}", "url": f"{self.url}/media/{task}.mp4", "duration": "1.0"}
                data.update(task_status="succeed", task_status_msg="", task_result={"videos": [video]})
            return self._envelope(data)
        return self._envelope(None, code=1200, message=f"no route for {request.method} {request.path}", status=404)
