"""tutor: a command-line tutor that teaches how large language models work."""

__version__ = "0.1.0"
