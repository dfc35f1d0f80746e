"""Speed-ups that change no output: kb serve's incremental rebuilds and file watcher, the page worker and
index writer on a second core, the theme memo and the garbage-collector settings. Each can be switched
off in mkdocs.yml; their uses of MkDocs' undocumented names live in mkdocs_internals.py."""
