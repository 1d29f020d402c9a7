"""newsreader: a keyboard-driven terminal reader for news archives."""

__version__ = "0.1.0"
