"""Going live: the members' accounts, releases switched in one step, the web server's configuration and
the processes that serve the built sites (see docs/going-live.md)."""
