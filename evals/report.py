"""report.md (headline table, per-family scores, outcome confusion, worst
cases) and plots (per-family F1, ours vs baselines)."""
from __future__ import annotations

from pathlib import Path

HEADLINE = ["section_family_f1", "section_exact_f1", "ranked_recall_at_5", "ncnd_accuracy", "ncnd_precision",
            "ncnd_recall", "outcome_accuracy"]


def _row(name: str, m: dict) -> str:
    lat = m.get("latency_ms", {})
    return f"| {name} | " + " | ".join(f"{m.get(k, 0):.3f}" for k in HEADLINE) + f" | {lat.get('p50', 0)} | {lat.get('p95', 0)} |"


def write_report(result: dict, rows: list[dict], out: Path) -> None:
    lines = ["# FOI Assistant evals", "",
             f"{result['n_cases']} cases from `{result.get('cases_file', '')}`, with same-case exclusion (each case's own precedent and every other record of the same case excluded).", "",
             "## Headline", "",
             "| system | family F1 | exact F1 | ranked recall@5 | NCND acc | NCND precision | NCND recall | outcome acc | p50 ms | p95 ms |",
             "|---|---|---|---|---|---|---|---|---|---|", _row("**ours**", result)]
    for name, m in result.get("baselines", {}).items():
        lines.append(_row(name, m))
    kf = result.get("library_kfold")
    if kf:
        lines += ["", f"## The model on the library itself ({kf['folds']}-fold, grouped by case, {kf['examples']} precedents)", "",
                  "| family F1 | ranked recall@5 | NCND acc | NCND precision | NCND recall | outcome acc | family Brier | train s |",
                  "|---|---|---|---|---|---|---|---|",
                  f"| {kf['family_f1']:.3f} | {kf['ranked_recall_at_5']:.3f} | {kf['ncnd_accuracy']:.3f} | "
                  f"{kf['ncnd_precision']:.3f} | {kf['ncnd_recall']:.3f} | {kf['outcome_accuracy']:.3f} | "
                  f"{kf['family_brier']:.3f} | {kf.get('train_seconds', '')} |", "",
                  "Calibration (out-of-fold family probabilities by band):", "",
                  "| band | n | mean predicted | observed |", "|---|---|---|---|"]
        lines += [f"| {b['band']} | {b['n']} | {b['predicted']} | {b['observed']} |" for b in kf.get("calibration", [])]
    lines += ["", f"- citation_valid_rate: {result.get('citation_valid_rate')}",
              f"- invalid_provision_count: {result.get('invalid_provision_count')} (must be 0)",
              f"- retrieval_recall_at_5: {result.get('retrieval_recall_at_5')}",
              f"- requester task (every gold section explained with the right absolute/qualified and NCND facts): {result.get('requester_explained_rate')}",
              "", "## Per family (ours)", "", "| family | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for f, m in sorted(result["per_family"].items(), key=lambda kv: -kv[1]["support"]):
        lines.append(f"| {f} | {m['precision']} | {m['recall']} | {m['f1']} | {m['support']} |")
    conf = result.get("outcome_confusion", {})
    cols = sorted({p for r in conf.values() for p in r})
    lines += ["", "## Outcomes (rows: gold, columns: predicted)", "", "| gold \\ pred | " + " | ".join(cols) + " |",
              "|---" * (len(cols) + 1) + "|"]
    for g in sorted(conf):
        lines.append(f"| {g} | " + " | ".join(str(conf[g].get(c, 0)) for c in cols) + " |")
    lines += ["", "## Worst 10 cases", ""]
    for r in sorted(rows, key=lambda r: -r["errors"])[:10]:
        lines += [f"### {r['id']}", "", f"> {r['request']}", "",
                  f"- gold: {', '.join(r['gold']) or 'none'}; NCND {r['gold_ncnd']}; outcome {r['gold_outcome']}",
                  f"- ours: {', '.join(r['pred']) or 'none'}; NCND {r['pred_ncnd']}; outcome {r['pred_outcome']}",
                  f"- why: {r['why']}", ""]
    (out / "report.md").write_text("\n".join(lines) + "\n")


def write_plots(result: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fams = [f for f, m in sorted(result["per_family"].items(), key=lambda kv: -kv[1]["support"]) if m["support"]][:16]
    systems = {"ours": result} | result.get("baselines", {})
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / max(1, len(systems))
    for i, (name, m) in enumerate(systems.items()):
        ax.bar([x + i * width for x in range(len(fams))], [m["per_family"].get(f, {}).get("f1", 0) for f in fams],
               width, label=name)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(fams))], fams)
    ax.set_ylabel("F1")
    ax.set_title("Per-family F1 (families by support in the dev set)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "per_family_f1.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4))
    names = list(systems)
    for i, k in enumerate(["section_family_f1", "ncnd_accuracy", "outcome_accuracy"]):
        ax.bar([x + i * 0.27 for x in range(len(names))], [systems[n].get(k, 0) for n in names], 0.27, label=k)
    ax.set_xticks([x + 0.27 for x in range(len(names))], names, rotation=15, fontsize=8)
    ax.legend(fontsize=8)
    ax.set_title("Ours vs baselines")
    fig.tight_layout()
    fig.savefig(out / "headline.png", dpi=100)
    plt.close(fig)
