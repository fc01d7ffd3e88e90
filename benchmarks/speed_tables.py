"""The speed benchmark's markdown tables: ingest, query latency and footprint, Luoshi beside the baseline."""

from __future__ import annotations

from benchmarks.speed_results import SizeResult


def markdown(results: list[SizeResult]) -> str:
    """The ingest, query and footprint tables, Luoshi beside the baseline."""
    out = [
        "**Ingest** (cumulative; `marginal` = since the previous size; chars = characters of text read)\n",
        "| chunks (Luoshi / baseline) | files | system | s | chunks/s | chars/s | marginal chars/s "
        "| embedding share | embedding-only chunks/s | BM25 rebuild share | BM25 rebuild, last file s |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        label = f"{result.luoshi_ingest['chunks']:,} / {result.baseline_ingest['chunks']:,}"
        for name, row in (("Luoshi", result.luoshi_ingest), ("baseline", result.baseline_ingest)):
            bm25 = name == "Luoshi"
            cells = [
                label,
                str(row["files"]),
                name,
                f"{row['seconds']:.0f}",
                str(row["chunks_per_s"]),
                f"{row['chars_per_s']:,.0f}",
                f"{row['marginal_chars_per_s']:,.0f}",
                _pct(row["embed_share"]),
                str(row["embed_floor_chunks_per_s"]),
                _pct(row["lexical_share"]) if bm25 else "–",
                str(row["lexical_seconds_last_file"]) if bm25 else "–",
            ]
            out.append("| " + " | ".join(cells) + " |")
    out += [
        "",
        "**Query latency** (ms; retrieval = Luoshi `retriever.search` (BM25 + dense, top 8) vs Chroma "
        "`similarity_search` (top 8); answer = the full answer)\n",
        "| chunks | system | retrieval p50 | p95 | p99 | answer p50 | p95 | p99 | answer p50 vs baseline |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        base_p50 = result.baseline_query["answer_ms"]["p50"]
        for name, row in (("Luoshi", result.luoshi_query), ("baseline", result.baseline_query)):
            r, a = row["retrieval_ms"], row["answer_ms"]
            ratio = f"×{a['p50'] / base_p50:.2f}" if base_p50 else "–"
            out.append(
                f"| {result.target:,} | {name} | {r['p50']} | {r['p95']} | {r['p99']} "
                f"| {a['p50']} | {a['p95']} | {a['p99']} | {ratio if name == 'Luoshi' else ''} |"
            )
    out += [
        "",
        "**Footprint** (index on disk; RSS of a fresh query process: peak (VmHWM), and RSS after all "
        "questions minus RSS after loading the model = what the index and query path hold)\n",
        "| chunks | corpus MB | Luoshi index MB | baseline index MB | index ratio | Luoshi peak RSS MB "
        "| baseline peak RSS MB | Luoshi RSS over model MB | baseline RSS over model MB "
        "| Luoshi open + first answer s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        d, lq, bq = result.disk, result.luoshi_query, result.baseline_query
        cells = [
            f"{result.target:,}",
            _mb(d["corpus"]),
            _mb(d["luoshi"]),
            _mb(d["baseline"]),
            f"×{d['luoshi'] / max(d['baseline'], 1):.2f}",
            f"{lq['peak_rss_mb']:.0f}",
            f"{bq['peak_rss_mb']:.0f}",
            f"{lq['rss_end_mb'] - lq['rss_after_model_mb']:.0f}",
            f"{bq['rss_end_mb'] - bq['rss_after_model_mb']:.0f}",
            str(lq["open_and_first_answer_seconds"]),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _mb(value: int) -> str:
    return f"{value / 2**20:.1f}"
