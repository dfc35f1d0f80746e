"""The MkDocs side of a build: the per-build session the plugin's hooks hand their work to, running
MkDocs (or ProperDocs) for kb build and kb serve, and choosing between the two."""
