"""kb build's garbage-collector settings last exactly as long as the build (build_memory.py)."""

from __future__ import annotations

import gc

from kb.speed.memory import YOUNG_THRESHOLD, BuildMemory


def test_settings_are_restored_after_the_build():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    memory = BuildMemory()
    memory.start()
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD and gc.get_threshold()[1:] == before[1:]
    kept = [object() for _ in range(3)] + [[i] for i in range(1000)]
    memory.keep()
    assert gc.get_freeze_count() >= frozen + 1000
    memory.end()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    memory.end()  # twice is harmless (on_shutdown after a failed build)
    assert gc.get_threshold() == before
    del kept


def test_keep_outside_a_build_freezes_nothing():
    before = gc.get_freeze_count()
    BuildMemory().keep()
    assert gc.get_freeze_count() == before


def test_a_built_site_leaves_the_collector_as_it_found_it(public_site):
    assert (public_site / "index.html").exists()
    assert gc.get_threshold()[0] != YOUNG_THRESHOLD and gc.get_freeze_count() == 0
