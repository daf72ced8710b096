"""The precedent library on disk (corpus/precedents/*.jsonl): build it from
gathered records, and check it.

build: records gathered from public pages, each with the few words of the
page that name each provision it lists (its evidence), are normalised
(provisions in their Act's form, references canonical), checked (schema,
provisions exist, evidence names the provision, no personal data), merged
where they are the same case, and written by source, sorted by id.

check: what `make test` runs over the files in the repo: the schema,
provisions that exist, no personal data, no two records of one case, and
counts by authority type, outcome, family, regime and source."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..reason.act import family, parse_citations
from . import personal
from .cases import CaseKeys, keys_of, same_case
from .schema import LIBRARY_FIELDS, PREFIX, normalise_ref, problems, refs_in, regime_section, valid_section

DEV_FILE = "known-responses.jsonl"       # the dev set: scored by the evals, kept in its own format
FILES = {  # output file by where a record came from
    "decision_notice": "ico-decision-notices.jsonl", "tribunal": "tribunal-decisions.jsonl",
    "disclosure_log": "disclosure-logs.jsonl", "wdtk": "disclosure-logs.jsonl", "other": "case-summaries.jsonl"}
SCOTTISH_FILE = "scottish-decisions.jsonl"
SOURCE_RANK = {"decision_notice": 0, "tribunal": 1, "disclosure_log": 2, "wdtk": 3, "other": 4}


def read_jsonl(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path.name}: line {n} is not JSON ({e.msg})") from None
    return out


# --- evidence: did the page name each provision? ------------------------------------------
def evidence_names(snippet: str, section: str, regime: str) -> str:
    """'number' when the words cite the provision (or its section), 'title' when they
    name it only by its title (no number in them), '' when they cite something else."""
    prefix = PREFIX.get(regime, "")
    cited = [prefix + c if prefix and not c.startswith(prefix) else c for c in parse_citations(snippet, validate=False)]
    if not cited:
        # "regulation 12(5)(e)" parses; a bare "12(5)(e)" or "40(2)" in the evidence may not
        bare = parse_citations(("reg " if section.split(":")[-1].startswith("reg") else "s") + snippet.strip(),
                               validate=False)
        cited = [prefix + c for c in bare] if any(ch.isdigit() for ch in snippet) else []
    if not cited:
        return "" if any(ch.isdigit() for ch in snippet) else "title"
    fam = family(section)
    return "number" if any(family(c) == fam for c in cited) else ""


@dataclass
class BuildReport:
    read: int = 0
    written: int = 0
    dropped: list[tuple[str, str]] = field(default_factory=list)      # (id, why)
    sections_dropped: list[tuple[str, str, str]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)       # (kept, merged into it)
    evidence: Counter = field(default_factory=Counter)                 # number | title


def _regime(rec: dict) -> str:
    regime = rec.get("regime") or "foia"
    if regime == "eir" and ("scottish eir" in str(rec.get("notes") or "").lower()
                            or any(str(s).startswith(("reg10", "reg11")) for s in rec.get("sections") or [])):
        return "eisr"
    return regime


def normalise_record(rec: dict, evidence: dict, report: BuildReport) -> dict | None:
    """A gathered record in the library's form, or None (with the reason in report)."""
    rid = str(rec.get("id") or "").lower().replace("_", "-")
    regime = _regime(rec)
    out = {k: rec.get(k) for k in LIBRARY_FIELDS if k in rec}
    out["id"] = rid
    out["regime"] = regime
    ref = normalise_ref(rec.get("decision_ref"))
    out["decision_ref"] = ref
    sections, finding = [], {}
    for raw in rec.get("sections") or []:
        s = regime_section(raw, regime)
        words = (evidence or {}).get(raw) or (evidence or {}).get(s)
        if not valid_section(s, regime):
            report.sections_dropped.append((rid, str(raw), "not a provision of the Act"))
            continue
        how = evidence_names(str(words), s, regime) if words else ""
        if not how:
            report.sections_dropped.append((rid, str(raw), "the page's words do not name it" if words else
                                            "no evidence from the page"))
            continue
        report.evidence[how] += 1
        if s not in sections:
            sections.append(s)
            f = (rec.get("finding") or {}).get(raw) or (rec.get("finding") or {}).get(s)
            if f:
                finding[s] = f
    out["sections"] = sections
    out["finding"] = finding if out.get("source_kind") in ("decision_notice", "tribunal", "other") else {}
    if out.get("source_kind") in ("decision_notice", "tribunal") and not ref:
        out["source_kind"] = "other"            # a case page without its reference is a summary
    out["related_refs"] = sorted({r for r in refs_in(rec.get("notes")) if r != ref})
    out["harm_points"] = [str(p) for p in rec.get("harm_points") or []]
    out["notes"] = str(rec.get("notes") or "")
    for k in ("reference", "date"):
        out[k] = rec.get(k) or None
    why = problems(out)
    found = personal.findings(out)
    if why or found:
        report.dropped.append((rid, "; ".join(why + found)))
        return None
    return out


def merge(records: list[dict], dev: list[dict], report: BuildReport) -> list[dict]:
    """One record per case: the best-sourced one, with the others' pages and references."""
    dev_keys = [keys_of(d) for d in dev]
    kept: list[tuple[dict, CaseKeys]] = []
    order = sorted(records, key=lambda r: (SOURCE_RANK.get(r["source_kind"], 9), -len(r["request"]), r["id"]))
    for rec in order:
        k = keys_of(rec)
        if any(same_case(k, d, strict=True) for d in dev_keys):
            report.dropped.append((rec["id"], "the same case as a record of the dev set"))
            continue
        twin = next((i for i, (_, kk) in enumerate(kept) if same_case(k, kk, strict=True)), None)
        if twin is None:
            kept.append((rec, k))
            continue
        base = kept[twin][0]
        report.merged.append((base["id"], rec["id"]))
        also = list(base.get("also") or [])
        if rec["url"] != base["url"] and rec["url"] not in also:
            also.append(rec["url"])
        base["also"] = also
        refs = set(base.get("related_refs") or []) | set(rec.get("related_refs") or [])
        if rec.get("decision_ref") and rec["decision_ref"] != base.get("decision_ref"):
            refs.add(rec["decision_ref"])
        base["related_refs"] = sorted(refs - {base.get("decision_ref")})
        kept[twin] = (base, keys_of(base))
    return [r for r, _ in kept]


def file_for(rec: dict) -> str:
    return SCOTTISH_FILE if rec["regime"] in ("foisa", "eisr") else FILES[rec["source_kind"]]


def build(gathered: list[Path], out_dir: Path) -> BuildReport:
    """Read every <dir>/records.jsonl (+ evidence.jsonl) under the gathered folders and
    write the library's files into out_dir (the dev set file is left as it is)."""
    report = BuildReport()
    records, seen_ids = [], set()
    for d in gathered:
        if not (d / "records.jsonl").exists():
            continue
        evidence = {e["id"]: e.get("evidence") or {} for e in read_jsonl(d / "evidence.jsonl")} \
            if (d / "evidence.jsonl").exists() else {}
        for rec in read_jsonl(d / "records.jsonl"):
            report.read += 1
            out = normalise_record(rec, evidence.get(rec.get("id"), {}), report)
            if out is not None:
                records.append(out)
    dev = read_jsonl(out_dir / DEV_FILE) if (out_dir / DEV_FILE).exists() else []
    merged = merge(records, dev, report)
    for rec in merged:                  # two different cases gathered under one id: the second gets a suffix
        n, base = 2, rec["id"]
        while rec["id"] in seen_ids:
            rec["id"] = f"{base}-{n}"
            n += 1
        seen_ids.add(rec["id"])
    by_file: dict[str, list[dict]] = {}
    for rec in merged:
        rec = {k: rec[k] for k in LIBRARY_FIELDS if k in rec and rec[k] not in (None, [], {}, "")
               or k in ("sections", "ncnd", "pit", "finding")}
        by_file.setdefault(file_for(rec), []).append(rec)
    for name in set(FILES.values()) | {SCOTTISH_FILE}:
        rows = sorted(by_file.get(name, []), key=lambda r: r["id"])
        path = out_dir / name
        if rows:
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        elif path.exists():
            path.unlink()
    report.written = len(merged)
    return report


# --- check ----------------------------------------------------------------------------------
@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)     # the library (not the dev set)
    dev: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, Counter]:
        rs = self.records
        return {"regime": Counter(r["regime"] for r in rs),
                "authority_type (foia)": Counter(r["authority_type"] for r in rs if r["regime"] == "foia"),
                "authority_type": Counter(r["authority_type"] for r in rs),
                "outcome": Counter(r["outcome"] for r in rs),
                "source_kind": Counter(r["source_kind"] for r in rs),
                "family": Counter(family(s) for r in rs for s in set(r["sections"])),
                "finding": Counter(f for r in rs for f in (r.get("finding") or {}).values())}


def check(folder: Path) -> CheckReport:
    report = CheckReport()
    ids: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        dev = path.name == DEV_FILE
        try:
            rows = read_jsonl(path)
        except ValueError as e:
            report.errors.append(str(e))
            continue
        for n, rec in enumerate(rows, 1):
            where = f"{path.name}:{n} ({rec.get('id')})"
            for p in problems(rec, library=not dev):
                report.errors.append(f"{where}: {p}")
            if not dev:
                for p in personal.findings(rec):
                    report.errors.append(f"{where}: personal data? {p}")
                if rec.get("regime") in PREFIX and rec.get("source_kind") in FILES and file_for(rec) != path.name:
                    report.errors.append(f"{where}: belongs in {file_for(rec)}")
            if rec.get("id") in ids:
                report.errors.append(f"{where}: id also used in {ids[rec['id']]}")
            ids[str(rec.get("id"))] = path.name
            (report.dev if dev else report.records).append(rec)
    for a, b in same_case_pairs(report.records):
        report.errors.append(f"{a} and {b}: the same case (a reference, the authority and its reference, "
                             "the page, or a near-identical request); merge them")
    dev_keys = [keys_of(d) for d in report.dev]
    for r in report.records:
        k = keys_of(r)
        if any(same_case(k, d, strict=True) for d in dev_keys):
            report.errors.append(f"{r['id']}: the same case as a record of the dev set")
    return report


def same_case_pairs(records: list[dict]) -> list[tuple[str, str]]:
    """(id, id) for every two records of one case (strict), comparing only records
    that share a reference, a page or an authority."""
    keys = {r["id"]: keys_of(r) for r in records}
    buckets: dict[str, list[str]] = {}
    for rid, k in keys.items():
        for b in [f"ref:{x}" for x in k.refs] + ([f"url:{k.url}"] if k.url else []) + [f"auth:{k.authority}"]:
            buckets.setdefault(b, []).append(rid)
    pairs = set()
    for ids in buckets.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if (a, b) not in pairs and same_case(keys[a], keys[b], strict=True):
                    pairs.add((a, b))
    return sorted(pairs)

