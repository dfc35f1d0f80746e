"""Measuring search: relevance against judged queries (nDCG@10, recall@10) and speed of answers.

Kept apart from the engine so the benchmark (kb_tools.bench) and scripts/relevance call the same code.
"""

from __future__ import annotations

import gzip
import json
import math
import statistics
import time
from pathlib import Path

import yaml

from kb.search.query import SearchEngine

FILTER_KEYS = ("type", "network", "tag", "phase", "approach", "brokerage", "year", "sort")


def load_judgements(path: Path) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k results (graded, 2^g - 1 gains)."""
    dcg = sum((2 ** grades.get(ref, 0) - 1) / math.log2(i + 2) for i, ref in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate(engine: SearchEngine, judgements: list[dict], k: int = 10) -> dict:
    """Per-query figures and their means; `best_rank` is the rank of the first grade-3 entry (None: not in top k)."""
    rows = []
    for judged in judgements:
        grades = {ref: int(g) for ref, g in judged["relevant"].items()}
        answer = engine.search(str(judged["q"]), size=k, **{key: judged[key] for key in FILTER_KEYS if key in judged})
        ranked = [hit["ref"] for hit in answer["results"]]
        best = {ref for ref, g in grades.items() if g == max(grades.values())}
        best_rank = next((i + 1 for i, ref in enumerate(ranked) if ref in best), None)
        rows.append(
            {
                "q": judged["q"],
                "kind": judged.get("kind", ""),
                "ndcg": ndcg(ranked, grades, k),
                "recall": len(set(ranked[:k]) & set(grades)) / len(grades),
                "best_rank": best_rank,
                "top": ranked[:3],
                "filters": {key: judged[key] for key in FILTER_KEYS if key in judged},
            }
        )
    return {
        "queries": rows,
        "ndcg@10": statistics.mean(r["ndcg"] for r in rows),
        "recall@10": statistics.mean(r["recall"] for r in rows),
        "top3": sum(1 for r in rows if r["best_rank"] and r["best_rank"] <= 3) / len(rows),
        "kinds": by_kind(rows),
    }


def by_kind(rows: list[dict]) -> dict[str, dict]:
    """nDCG@10, recall@10 and the share of queries with a best answer in the top 3, per kind of query."""
    kinds: dict[str, list[dict]] = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).append(row)
    return {
        kind: {
            "queries": len(rows_of_kind),
            "ndcg@10": statistics.mean(r["ndcg"] for r in rows_of_kind),
            "recall@10": statistics.mean(r["recall"] for r in rows_of_kind),
            "top3": sum(1 for r in rows_of_kind if r["best_rank"] and r["best_rank"] <= 3) / len(rows_of_kind),
        }
        for kind, rows_of_kind in sorted(kinds.items())
    }


def measure_search(index_dir: Path, queries: list[str | dict], rounds: int = 3) -> dict:
    """In-process latency of SearchEngine.search and the gzipped size of each JSON answer (10 results, facets, snippets).

    A query is a string or a dict of search() arguments. The first round warms caches and is not counted."""
    engine = SearchEngine(Path(index_dir))
    times, sizes, raw = [], [], []
    for round_no in range(rounds + 1):
        for query in queries:
            args = {"q": query} if isinstance(query, str) else dict(query)
            started = time.perf_counter()
            answer = engine.search(**args)
            elapsed = (time.perf_counter() - started) * 1000
            if round_no:
                body = json.dumps(answer, ensure_ascii=False).encode()
                times.append(elapsed)
                raw.append(len(body))
                sizes.append(len(gzip.compress(body, 6)))
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "max_ms": round(times[-1], 2),
        "bytes_per_query": round(statistics.median(sizes)),
        "bytes_per_query_max": max(sizes),
        "json_bytes_per_query": round(statistics.median(raw)),
        "requests": len(times),
    }
