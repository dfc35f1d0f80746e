"""The board's view: term digests per network, their charts, and the board pages."""
