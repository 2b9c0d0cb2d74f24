"""Functions the crew calls: clip generation (`clips`), sound (`sound`),
the OTIO timeline (`timeline`), rendering and muxing (`render`), and ffmpeg
helpers (`media`). Each submodule imports its heavy libraries itself, so
importing this package is cheap.
"""

__all__ = ["clips", "sound", "timeline", "render", "media"]
