"""A careless OpenAI-compatible server that echoes the credentials it received.

Some real servers put the request's `Authorization` header (or the whole
request) into their error text. This fake answers every chat completion with a
401 whose message quotes the header and the URL's user info back, so a test
can check that nothing filmcrew prints or writes keeps the key.
"""

from __future__ import annotations

from .http import LocalHTTPServer, RecordedRequest, Reply

__all__ = ["EchoingOpenAIServer"]


class EchoingOpenAIServer(LocalHTTPServer):
    """Answers 401 quoting the request's Authorization header back."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[RecordedRequest] = []

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def respond(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            self.requests.append(request)
        auth = request.headers.get("authorization", "")
        message = f"Incorrect API key provided. Your request sent Authorization: {auth} to {request.path}"
        return Reply(401, {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}})
