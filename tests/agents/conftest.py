"""Fixtures shared by the chat-model tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from autogen_core import EVENT_LOGGER_NAME
from autogen_core.logging import LLMCallEvent


@pytest.fixture
def llm_events() -> Iterator[list[LLMCallEvent]]:
    events: list[LLMCallEvent] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, LLMCallEvent):
                events.append(record.msg)

    event_logger = logging.getLogger(EVENT_LOGGER_NAME)
    handler, old_level = Collect(), event_logger.level
    event_logger.addHandler(handler)
    event_logger.setLevel(logging.INFO)
    try:
        yield events
    finally:
        event_logger.removeHandler(handler)
        event_logger.setLevel(old_level)
