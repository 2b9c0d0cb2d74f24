"""Functions the crew calls: clip generation (`clips`), sound (`sound`),
the OTIO timeline (`timeline`), what a viewer sees of a cut (`cut_review`),
rendering and muxing (`render`), the deliverables of a run (`export`), and
ffmpeg helpers (`media`). Each submodule imports its heavy libraries itself,
so importing this package is cheap.
"""

__all__ = ["clips", "sound", "timeline", "cut_review", "render", "export", "media"]
