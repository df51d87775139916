"""The validated config's types live in the core (:mod:`movebreak.core.config`), which
reads them; the shell may import ``Config`` from here or from there alike."""

from movebreak.core.config import Config

__all__ = ["Config"]
