"""How long a contributor waits after saving one entry under `kb serve`, measured in-process.

The rebuilds are driven exactly as MkDocs' serve command drives them (a fresh config per
rebuild, the plugin instance kept because it has on_startup, `build(..., dirty=...)` into one
site folder), without the HTTP server, so CPU time can be measured on a busy machine.
`measure_incremental(project_dir)` is what the benchmark calls.
"""

from __future__ import annotations

import logging
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SERVE_URL = "http://127.0.0.1:8000/"


def _cpu() -> float:
    """CPU seconds of this process (user + system): a busy machine barely moves it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class ServeSession:
    """One `kb serve` session without the HTTP server: call rebuild() for the first build and after each save.

    Mirrors mkdocs.commands.serve.serve: on_startup once on the first config, then a fresh
    config per rebuild, `build(config, serve_url=..., dirty=...)`; close() runs on_shutdown."""

    def __init__(
        self, config_file: Path, site_dir: Path, *, dirty: bool = True, members: bool = False, search_index: Path | None = None
    ) -> None:
        from kb.building.runner import _not_dirty_warning

        # kb serve rewrites the search API's index after every rebuild
        self.settings = {"preview": True, "members": members, "search_index": str(search_index) if search_index else None}
        self.config_file, self.site_dir, self.dirty = Path(config_file), Path(site_dir), dirty
        self.first = self._config()
        self.first.plugins.on_startup(command="serve", dirty=dirty)
        self.plugin = self.first.plugins["kb"]
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)

    def _config(self):
        from kb.building.runner import load_site_config

        return load_site_config(self.config_file, site_dir=self.site_dir, **self.settings)

    def rebuild(self) -> None:
        from mkdocs.commands.build import build

        config, self.first = self.first or self._config(), None
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL, dirty=self.dirty)

    def close(self) -> None:
        from kb.building.runner import _not_dirty_warning

        self.plugin.on_shutdown()
        logging.getLogger("mkdocs.commands.build").removeFilter(_not_dirty_warning)


def _timed(rebuild: Callable[[], None]) -> dict:
    wall, cpu = time.perf_counter(), _cpu()
    rebuild()
    return {"wall_s": round(time.perf_counter() - wall, 3), "cpu_s": round(_cpu() - cpu, 3)}


def pick_entry(project_dir: Path) -> Path:
    """A published case study with a title line to edit (the generated corpus has many)."""
    for path in sorted((Path(project_dir) / "content/case-studies").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?m)^status: published$", text) and "visibility: members" not in text and re.search(r"(?m)^title: ", text):
            return path
    raise FileNotFoundError("no published case study to edit")


def measure_incremental(
    project_dir: Path,
    *,
    dirty: bool = True,
    repeats: int = 3,
    with_search: bool = True,
    kinds: tuple[str, ...] = ("body", "front_matter"),
) -> dict:
    """Save one entry under a serve-like rebuild loop and time each rebuild (wall and CPU seconds).

    Edits: `body` appends a line to the entry's text; `front_matter` changes its title (every
    listing shows titles, so that edit rebuilds the site). The median of `repeats` rebuilds of
    each kind is reported; `dirty=False` gives the full-rebuild figures for comparison.
    `with_search` also rewrites the search index as `kb serve` does. The edited file is restored afterwards."""
    project_dir = Path(project_dir)
    entry = pick_entry(project_dir)
    original = entry.read_text(encoding="utf-8")
    result: dict = {"entry": str(entry.relative_to(project_dir)), "dirty": dirty, "with_search": with_search}
    mkdocs_log = logging.getLogger("mkdocs")
    level, session = mkdocs_log.level, None
    mkdocs_log.setLevel(logging.ERROR)  # the corpus has overdue actions: thousands of warnings per build
    try:
        with tempfile.TemporaryDirectory(prefix="kb-incremental-") as site:
            session = ServeSession(
                project_dir / "mkdocs.yml",
                Path(site) / "site",
                dirty=dirty,
                search_index=Path(site) / "search" if with_search else None,
            )
            rebuild = session.rebuild
            result["first_build"] = _timed(rebuild)
            for kind in kinds:
                runs = []
                for i in range(repeats):
                    text = entry.read_text(encoding="utf-8")
                    if kind == "body":
                        text += f"\nIncremental benchmark edit {time.time_ns()}.\n"
                    else:
                        text = re.sub(r"(?m)^title: .*$", f"title: Benchmark title {i} {time.time_ns()}", text, count=1)
                    entry.write_text(text, encoding="utf-8")
                    runs.append(_timed(rebuild))
                runs.sort(key=lambda r: r["cpu_s"])
                result[kind] = dict(runs[len(runs) // 2], runs=runs)
    finally:
        entry.write_text(original, encoding="utf-8")
        mkdocs_log.setLevel(level)
        if session is not None:
            session.close()
    return result


if __name__ == "__main__":  # python -m kb_tools.bench_incremental PROJECT [full] [nosearch]
    import json
    import sys

    figures = measure_incremental(Path(sys.argv[1]), dirty="full" not in sys.argv[2:], with_search="nosearch" not in sys.argv[2:])
    for value in figures.values():
        if isinstance(value, dict):
            value.pop("runs", None)
    print(json.dumps(figures))
