"""The folders a build writes, replaced whole so a reader never sees half a site or half an index."""
