"""regatlas: AI regulation as code."""

__version__ = "0.1.0"
ENGINE_VERSION = __version__
