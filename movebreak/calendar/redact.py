"""Feed URLs are credentials; the pure redaction lives in :mod:`movebreak.core.redact`."""

from movebreak.core.redact import redact_text, redact_url

__all__ = ["redact_text", "redact_url"]
