"""A fake of Gemini's File API and generateContent, for a model that watches a video.

It speaks what google-genai sends: `POST /upload/v1beta/files` starts a
resumable upload and answers with an `x-goog-upload-url`; chunks arrive at
that URL with `X-Goog-Upload-Command: upload[, finalize]`; `GET
/v1beta/files/{id}` reports the file PROCESSING for `processing_polls` polls,
then ACTIVE; `generateContent` answers with a critique that names the uploaded
file's size, so a test can tell the model really got the video. Everything it
received is kept in `uploads` and `requests`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fakes.http import LocalHTTPServer, RecordedRequest, Reply

__all__ = ["GeminiFilesServer"]

_GENERATE = re.compile(r"^/v1beta/models/([^/:]+):generateContent$")


class GeminiFilesServer(LocalHTTPServer):
    def __init__(self, *, processing_polls: int = 1, fail_processing: bool = False) -> None:
        super().__init__()
        self.processing_polls = processing_polls
        self.fail_processing = fail_processing
        self.uploads: dict[str, bytes] = {}
        self.mime: dict[str, str] = {}
        self.polls: dict[str, int] = {}
        self.requests: list[RecordedRequest] = []

    def _file(self, fid: str) -> dict[str, Any]:
        done = self.polls.get(fid, 0) >= self.processing_polls
        state = ("FAILED" if self.fail_processing else "ACTIVE") if done else "PROCESSING"
        return {"name": f"files/{fid}", "uri": f"{self.url}/v1beta/files/{fid}", "mimeType": self.mime.get(fid, ""),
                "sizeBytes": str(len(self.uploads.get(fid, b""))), "state": state}

    def respond(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = request.route
            if request.method == "POST" and route == "/upload/v1beta/files":
                fid = f"f{len(self.uploads) + 1}"
                self.uploads[fid] = b""
                self.mime[fid] = (request.json or {}).get("file", {}).get("mimeType", "")
                return Reply(200, {}, headers={"x-goog-upload-url": f"{self.url}/upload/session/{fid}",
                                                "x-goog-upload-status": "active"})
            if request.method == "POST" and route.startswith("/upload/session/"):
                fid = route.rsplit("/", 1)[1]
                self.uploads[fid] += request.body
                command = request.headers.get("x-goog-upload-command", "")
                if "finalize" in command:
                    return Reply(200, {"file": self._file(fid)}, headers={"x-goog-upload-status": "final"})
                return Reply(200, {}, headers={"x-goog-upload-status": "active"})
            if request.method == "GET" and route.startswith("/v1beta/files/"):
                fid = route.rsplit("/", 1)[1]
                self.polls[fid] = self.polls.get(fid, 0) + 1
                return Reply(200, self._file(fid))
            found = _GENERATE.match(route)
            if request.method == "POST" and found:
                parts = [p for c in request.json.get("contents", []) for p in c.get("parts", [])]
                videos = [p["fileData"] for p in parts if "fileData" in p]
                if not videos:
                    return Reply(400, {"error": {"code": 400, "message": "no video in the request", "status": "INVALID_ARGUMENT"}})
                # The SDK writes the part's fields in snake case; the service reads either spelling.
                uri = videos[0].get("fileUri") or videos[0].get("file_uri", "")
                mime = videos[0].get("mimeType") or videos[0].get("mime_type")
                fid = uri.rsplit("/", 1)[1]
                text = (f"I watched {len(self.uploads.get(fid, b''))} bytes of {mime}. "
                        "The opening holds too long on the village; the rival is never seen.")
                return Reply(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                                   "finishReason": "STOP"}],
                                   "modelVersion": found.group(1)})
            return Reply(404, {"error": {"code": 404, "message": f"no route {request.method} {route}"}})


def prompt_of(request: RecordedRequest) -> str:
    """The text parts of a generateContent request."""
    parts = [p for c in request.json.get("contents", []) for p in c.get("parts", [])]
    return json.dumps([p["text"] for p in parts if "text" in p])
