"""The grounded composer: turns findings (reason/) into the Markdown people
read, citing the chunks it looked up. It cannot invent a provision: every
section it names comes from the findings and the registry, and every [n]
points at a chunk it retrieved. An optional LLM may rewrite the result; the
rewrite is kept only if it passes the same checks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..config import Settings
from ..answers.match import ENVIRONMENTAL, is_scottish
from ..reason.act import ACT_NAMES, REGISTRY, family, invalid_citations, parse_citations, provisions_named
from ..reason.checks import check_response, qualification_errors
from ..reason.explain import LetterFindings, request_gist
from ..reason.suggest import SuggestionResult, load_cues
from ..retrieve import Filters, Retriever
from ..types import Check, Citation, Hit, Suggestion
from ..store.bm25 import tokenize
from .citations import (CitationBook, best_sentence, clean_quote, markers, origin_of, paragraphs_without_citation,
                        quote_in)
from .templates import Templates

PRECEDENT_QUESTION = re.compile(r"precedent|past (?:responses?|cases?|requests?)|other (?:forces|authorities|councils)|similar (?:requests?|cases?)|decision notice|examples?", re.I)
PROCEDURE_DOCS = {"internal-review": "internal-review", "s50": "s50", "s57": "s57", "s17": "s17",
                  "ncnd": "ncnd", "pit": "public-interest-test", "s12": "s12", "s14": "s14", "s16": "s16",
                  "eir-review": "eir", "foisa-review": "foisa-procedure", "eisr-review": "eisr",
                  "foisa-sic": "foisa-procedure", "foisa-appeal": "foisa-procedure"}


def section_name(citation: str) -> str:
    """'s31(3)' -> 'Section 31(3)'; 'foisa:s38(1)(b)' -> 'Section 38(1)(b) of FOISA'."""
    act, _, bare = citation.rpartition(":")
    name = "Regulation " + bare[3:] if bare.startswith("reg") else "Section " + bare[1:]
    return f"{name} of {'FOISA' if act == 'foisa' else 'the Scottish EIRs'}" if act else name


def doc_for_family(fam: str) -> str:
    """The corpus document about a family: exemptions are named by section, EIR regulations share
    one, and the Scottish Acts have theirs."""
    if fam.startswith("foisa:"):
        return "foisa"
    if fam.startswith("eisr:"):
        return "eisr"
    return "eir" if fam.startswith("reg") else fam.lower()


VERDICT = re.compile(r"^(?:yes|no)[,.;:]\s*", re.I)      # "Yes." or "No," (never "No reason is needed")
NAMED_FACTS = 3          # the provisions a question names that get their registry facts
OVERVIEW_DOCS = {"foisa": "foisa-procedure", "eisr": "eisr", "eir": "eir"}     # else s17


@dataclass
class Explanation:
    findings: LetterFindings
    sections: list[dict]
    answer: str
    letter: str
    citations: list[Citation]
    next_steps: list[dict]
    weak: bool = False
    notes: list[str] = field(default_factory=list)
    precedents: list[dict] = field(default_factory=list)   # what the Commissioner decided in similar cases

    def to_json(self) -> dict:
        f = self.findings
        return {"sections": self.sections, "regime": f.regime, "mentioned": f.mentioned, "precedents": self.precedents,
                "ncnd": f.ncnd, "not_held": f.not_held, "authority": f.authority,
                "reference": f.reference, "letter_date": f.letter_date.isoformat() if f.letter_date else None,
                "received": f.received.isoformat() if f.received else None,
                "checks": [c.to_json() for c in self.findings.checks], "next_steps": self.next_steps,
                "answer": self.answer, "letter": self.letter,
                "citations": [c.to_json() for c in self.citations], "weak": self.weak, "notes": self.notes}


@dataclass
class Draft:
    result: SuggestionResult
    draft: str
    citations: list[Citation]
    checks: list[Check]
    weak: bool = False
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        r = self.result
        return {"suggestions": [s.to_json() for s in r.suggestions],
                "ranking": [{"section": f, "family": family(f), "probability": x} for f, x in r.ranking],
                "items": r.items, "consistency": r.consistency, "ncnd_reasons": r.ncnd_reasons,
                "ncnd_consider": r.ncnd_consider,
                "outcome_probabilities": [{"outcome": o, "probability": p} for o, p in r.outcome_probabilities],
                "model": r.model, "outcome": r.outcome, "ncnd": r.ncnd,
                "ncnd_sections": r.ncnd_sections, "ncnd_score": r.ncnd_score, "cues": r.cues,
                "regime": r.regime, "draft": self.draft, "citations": [c.to_json() for c in self.citations],
                "checks": [c.to_json() for c in self.checks], "notes": r.notes + self.notes, "weak": self.weak}


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation]
    hits: list[Hit]
    weak: bool = False
    notes: list[str] = field(default_factory=list)
    topic: dict | None = None          # the answer base's answer this is (id, title, topic, score), if any

    def to_json(self) -> dict:
        return {"answer": self.answer, "citations": [c.to_json() for c in self.citations], "weak": self.weak,
                "notes": self.notes, "topic": self.topic}


def validate_output(text: str, book: CitationBook, allowed_sections: set[str], *, ncnd: bool) -> list[str]:
    """Why an output (ours or an LLM's) may not be shown; empty when it passes."""
    problems = []
    bad = invalid_citations(text)
    if bad:
        problems.append(f"names provisions that do not exist: {', '.join(bad)}")
    named = {family(c) for c in parse_citations(text)}
    extra = named - {family(s) for s in allowed_sections}
    if extra:
        problems.append(f"names provisions not in the grounded answer: {', '.join(sorted(extra))}")
    problems.extend(qualification_errors(text))
    known = {c.n for c in book.citations}
    unknown = sorted(set(markers(text)) - known)
    if unknown:
        problems.append(f"cites sources that do not exist: {unknown}")
    uncited = paragraphs_without_citation(text)
    if uncited:
        problems.append(f"{len(uncited)} paragraph(s) carry no citation")
    if ncnd:
        leak = [c for c in check_response(text, ncnd=True, expect_refusal=False) if c.id == "ncnd_leak" and not c.ok]
        problems.extend(c.message for c in leak)
    return problems


class Composer:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.t = Templates(settings.prompts_dir)

    # --- shared ------------------------------------------------------------
    def _law(self, retriever: Retriever, book: CitationBook, doc_id: str, topic: str) -> str:
        hit = retriever.lookup(doc_id, topic)
        return book.cite(hit, topic)

    def _family_words(self, fam: str) -> dict:
        w = dict(self.t.family(fam))
        prov = REGISTRY.get(fam)
        if not w.get("protects") and prov:
            w["protects"] = f"It covers {prov.title.lower()}."
        if not w.get("must_show") and prov:
            w["must_show"] = {"prejudice": "The authority has to show that disclosure would, or would be likely to, cause real harm to the interest protected.",
                              "class": "The authority has to show that the information falls within the class the section describes."}.get(prov.test or "", "")
        return w

    def _llm(self, backend, markdown: str, book: CitationBook, allowed: set[str], ncnd: bool,
             audience: str) -> tuple[str, list[str]]:
        """Let the LLM rewrite; keep its text only if it passes every check."""
        if backend is None:
            return markdown, []
        system = self.t.text("llm_system.md").replace("{audience}", audience)
        user = self.t.render("llm_user.md.j2", citations=book.citations, draft=markdown)
        try:
            text = backend.complete(system, user)
        except Exception as e:  # the backend is optional: its failure must not lose the answer
            return markdown, [f"The LLM backend failed ({e.__class__.__name__}); this is the grounded composer's answer."]
        problems = validate_output(text or "", book, allowed, ncnd=ncnd) if text and text.strip() else ["it returned nothing"]
        if problems:
            return markdown, ["The LLM's answer was not used because it " + "; ".join(problems) +
                              ". This is the grounded composer's answer."]
        return text.strip() + "\n", [f"Written by the LLM backend ({backend.name}) and checked."]

    def _passage(self, hit: Hit, query: str, book: CitationBook) -> dict:
        """A retrieved passage as an answer quotes it: the document's words without
        its own markers or links; a user's document labelled as such, and flagged
        when it names a provision that does not exist (it is not the law)."""
        text = clean_quote(best_sentence(hit.chunk.text, query))
        origin = origin_of(hit.chunk)
        bad = invalid_citations(text)
        flag = ""
        if bad:
            flag = self.t.wording.get("passage_bad_provision", "").format(provisions=", ".join(bad))
        return {"title": hit.chunk.title, "text": text, "cite": book.cite(hit, query), "origin": origin,
                "flag": flag}

    # --- requester: explain a refusal ----------------------------------------
    def explanation(self, f: LetterFindings, retriever: Retriever, filters: Filters, backend=None) -> Explanation:
        book = CitationBook()
        sections = []
        rendered = []
        for p in f.provisions:
            w = self._family_words(p.family)
            topic = "neither confirm nor deny" if p.ncnd else "what it protects when it applies test"
            cite = self._law(retriever, book, doc_for_family(p.family), f"{topic} {p.title}")
            ctx = {"section_name": section_name(p.section), "title": p.title, "absolute": p.absolute,
                   "ncnd": p.ncnd, "ncnd_provision_name": section_name(p.ncnd_provision) if p.ncnd_provision else "", "protects": w.get("protects", ""),
                   "must_show": w.get("must_show", ""), "note": "" if p.exists else
                   f"Note: {p.section} does not exist in the Act; the letter may mean {p.family}.", "cite": cite}
            text = " ".join(self.t.render("section_explanation.md.j2", s=ctx).split())
            rendered.append({"heading": f"{section_name(p.section)}: {p.title}", "explanation": text})
            n = markers(cite)
            sections.append({"section": p.section, "title": p.title, "absolute": p.absolute, "ncnd": p.ncnd,
                             "explanation": text, "citations": n})
        names = [section_name(p.section) for p in f.provisions]
        provisions_text = (", ".join(names[:-1]) + " and " + names[-1]) if len(names) > 1 else (names[0] if names else "no provision it names")
        overview = OVERVIEW_DOCS.get(f.regime, "s17")
        cite_overview = self._law(retriever, book, overview, "refusal notice must state exemption reasons")
        cite_ncnd = self._law(retriever, book, "ncnd", "what neither confirm nor deny means consistency") if f.ncnd else ""
        failed = f.failed
        checks_summary = ("The letter meets the s17 requirements we can check." if not failed else
                          f"{len(failed)} point(s) above fall short of what the Act requires; you can raise them in an internal review.")
        cite_s17 = self._law(retriever, book, overview, "internal review complain Information Commissioner s17(7)")
        steps = []
        for s in f.next_steps:
            words = self.t.steps.get(s.topic, {})
            deadline = s.deadline.strftime("%-d %B %Y") if s.deadline else None
            clause = words.get("deadline_clause", "").format(deadline=deadline) if deadline else ""
            detail = words.get("detail", "").format(deadline_clause=clause)
            cite = self._law(retriever, book, PROCEDURE_DOCS[s.topic], words.get("topic", s.topic))
            steps.append({"step": words.get("step", s.topic), "deadline": deadline, "detail": detail,
                          "citations": markers(cite), "cite": cite})
        precedents = self._decisions_like(f, retriever, filters, book)
        answer = self.t.render("explain_answer.md.j2", f=f, provisions_text=provisions_text, sections=rendered,
                               precedents=precedents,
                               checks=f.checks, checks_summary=checks_summary, steps=steps,
                               cite_overview=cite_overview, cite_ncnd=cite_ncnd, cite_s17=cite_s17)
        voice = self.t.steps.get("review_points", {})
        problems = [voice[c.id].format(detail=c.message) if c.id in voice else c.message for c in failed]
        qualified = [section_name(p.section) for p in f.provisions if p.absolute is False]
        letter = self.t.render("review_letter.md.j2", f=f, problems=problems, qualified=qualified,
                               letter_date=f.letter_date.strftime("%-d %B %Y") if f.letter_date else "")
        allowed = {p.section for p in f.provisions} | {"s2", "s17", "s45", "s50", "s57"}
        answer, notes = self._llm(backend, answer, book, allowed | set(parse_citations(answer)), False, "member of the public")
        book.verify()
        if not f.provisions:
            notes.append("No provision relied on was found in the letter; check it is a refusal under FOIA, the EIR or FOISA.")
        regime_note = (self.t.steps.get("regime_notes") or {}).get(f.regime)
        if regime_note:
            notes.append(regime_note)
        elif load_cues().foisa.search(f.text):
            notes.append(load_cues().foisa_note)
        if f.mentioned:
            notes.append(self.t.steps.get("mentioned_note", "").format(
                provisions=", ".join(section_name(c) for c in f.mentioned)))
        next_steps = [{k: v for k, v in s.items() if k != "cite"} for s in steps]
        return Explanation(f, sections, answer, letter, book.citations, next_steps, weak=not f.provisions, notes=notes,
                           precedents=precedents)

    def _decisions_like(self, f: LetterFindings, retriever: Retriever, filters: Filters,
                        book: CitationBook) -> list[dict]:
        """For each provision the letter relies on: what the Commissioner or the Tribunal decided
        about it in the most similar cases ("disclosure was ordered in 3 of 4 similar cases")."""
        words = self.t.steps.get("decisions_like") or {}
        query = request_gist(f.text, self.settings.letter_query_chars)
        out = []
        for fam in dict.fromkeys(p.family for p in f.provisions):
            hits = retriever.search(query, k=self.settings.decisions_k,
                                    filters=replace(filters, kinds=("response",), sections=(fam,)))
            cases = []
            for h in hits:
                found = {family(k): v for k, v in (h.chunk.meta.get("finding") or {}).items()}
                if fam in found and (h.dense or 0) >= self.settings.decisions_min_similarity:
                    m = h.chunk.meta
                    cases.append({"authority": m.get("authority"), "date": m.get("date"), "url": h.chunk.url,
                                  "decision_ref": m.get("decision_ref"), "finding": found[fam],
                                  "request": m.get("request"), "similarity": round(h.dense or 0.0, 3), "hit": h})
            cases = cases[:self.settings.decisions_shown]
            if not cases:
                continue
            cites = " ".join(book.cite(c["hit"], c["request"] or "") for c in cases[:2])
            for c in cases:
                c.pop("hit")
            n = len(cases)
            upheld = sum(c["finding"] == "upheld" for c in cases)
            ordered = sum(c["finding"] == "not_upheld" for c in cases)
            partly = n - upheld - ordered
            summary = words.get("summary", "").format(n=n, provision=section_name(fam), upheld=upheld,
                                                      ordered=ordered, partly=partly)
            out.append({"family": fam, "summary": summary, "cases": cases, "cite": cites})
        return out

    # --- officer: draft a response ------------------------------------------
    def draft(self, r: SuggestionResult, retriever: Retriever, filters: Filters, backend=None,
              authority: str | None = None) -> Draft:
        book = CitationBook()
        book.retrieve(r.precedent_hits + r.document_hits)
        authority = authority or "[authority]"
        w_all = self.t.wording
        exemptions = [s for s in r.suggestions if REGISTRY.get(s.section) and REGISTRY.get(s.section).kind in ("exemption", "refusal")]
        for it in r.items:             # an item withheld under a provision the whole request did not choose: argue it too
            for x in it.get("sections") or []:
                if family(x) not in {family(s.section) for s in exemptions} and REGISTRY.exists(x):
                    exemptions.append(Suggestion(section=x, score=it.get("probability") or 0.0))
        fams = [family(s.section) for s in exemptions]
        opening: list[str] = []
        if r.outcome == "cost_limit" or (fams and fams[0] == "s12"):
            exemptions = [s for s in exemptions if family(s.section) == "s12"]
        elif r.outcome == "vexatious" or (fams and fams[0] == "s14"):
            exemptions = [s for s in exemptions if family(s.section) == "s14"]
        else:
            exemptions = [s for s in exemptions if family(s.section) not in ("s12", "s14")]
        ncnd = r.ncnd and any(REGISTRY.is_ncnd_provision(s.section) for s in exemptions)
        if ncnd:
            provs = " and ".join(section_name(s.section) for s in exemptions if REGISTRY.is_ncnd_provision(s.section))
            cite = self._law(retriever, book, "ncnd", "consistency neither confirm nor deny")
            opening.append(w_all.get("ncnd_intro", "").format(authority=authority, provisions=provs) + " " + cite)
            opening.append(w_all.get("ncnd_consistency", "") + " " + cite)
        sections = []
        qualified = []
        for s in exemptions:
            fam = family(s.section)
            prov = REGISTRY.get(fam)
            w = self._family_words(fam)
            use_ncnd = ncnd and REGISTRY.is_ncnd_provision(s.section)
            harm = w.get("harm_ncnd") if use_ncnd and w.get("harm_ncnd") else w.get("harm", w.get("must_show", ""))
            topic = "neither confirm nor deny" if use_ncnd else "when it applies test"
            absolute = REGISTRY.is_absolute(s.section)
            entry = {"heading": f"{section_name(s.section)}: {prov.title}", "harm": " ".join((harm or "").split()),
                     "cite": self._law(retriever, book, doc_for_family(fam), f"{topic} {prov.title}"),
                     "no_pit": "", "cite_pit": "", "factors_for": w.get("factors_for") or [],
                     "factors_against": w.get("factors_against") or []}
            entry["points"] = self._precedent_points(fam, r, retriever, book)
            entry["points_intro"] = w_all.get("precedent_points_intro", "").format(provision=section_name(s.section))
            if absolute or fam in ("s12", "s14"):
                entry["no_pit"] = w.get("no_pit", "")
                entry["cite_pit"] = self._law(retriever, book, doc_for_family(fam), "public interest test absolute") if entry["no_pit"] else ""
            elif entry["factors_for"] and entry["factors_against"]:
                qualified.append(entry)
            sections.append(entry)
        names = " and ".join(section_name(s.section) for s in exemptions)
        balance = (w_all.get("pit_balance_ncnd") if ncnd else w_all.get("pit_balance", "")).format(provisions=names)
        advice = ""
        cite_advice = ""
        if any(family(s.section) == "s12" for s in exemptions):
            advice = self._family_words("s12").get("advice", "")
            cite_advice = self._law(retriever, book, "s16", "advice assistance narrow request")
        rights = w_all.get("rights", "").format(authority=authority, contact="[contact address]")
        cite_rights = (self._law(retriever, book, "internal-review", "internal review 20 working days") + " " +
                       self._law(retriever, book, "s50", "complaint Information Commissioner section 50"))
        request_quote = "\n".join("> " + ln for ln in r.request.strip().splitlines() if ln.strip())
        item_words = w_all.get("item_responses") or {}
        items = [{"n": it["n"], "text": it["text"],
                  "response_text": item_words.get(it["response"], "").format(
                      provisions=" and ".join(section_name(x) for x in it["sections"]))} for it in r.items]
        draft = self.t.render("draft_response.md.j2", reference=None, authority=authority, request_quote=request_quote,
                              items=items,
                              opening=opening, sections=sections, qualified=qualified,
                              pit_subject="confirming or denying" if ncnd else "disclosure",
                              pit_against_subject="neither confirming nor denying" if ncnd else "maintaining the exemption",
                              balance=balance, cite_pit=self._law(retriever, book, "public-interest-test", "balance factors for against") if qualified else "",
                              advice=advice, cite_advice=cite_advice, rights=rights, cite_rights=cite_rights)
        allowed = {s.section for s in exemptions} | set(parse_citations(draft))
        draft, notes = self._llm(backend, draft, book, allowed, ncnd, "FOI officer drafting a response")
        book.verify()
        checks = check_response(draft, ncnd=ncnd, partial_not_held=False, expect_refusal=bool(exemptions),
                                regime=r.regime if r.regime in ("foisa", "eisr") else "foia")
        weak = retriever.is_weak(r.precedent_hits + r.document_hits)
        return Draft(r, draft, book.citations, checks, weak=weak, notes=notes)

    def _precedent_points(self, fam: str, r: SuggestionResult, retriever: Retriever, book: CitationBook) -> list[dict]:
        """The reasons the nearest past cases relying on this family gave (their harm_points,
        in our words), each cited to its precedent."""
        points: list[dict] = []
        seen: set[str] = set()
        vocab = self._family_vocabulary(fam)
        for case in (r.consistency or {}).get("cases", []):
            fams = {family(x) for x in case.get("sections") or []}
            chunks = retriever.index.by_doc(case["doc_id"])
            if fam not in fams or not chunks:
                continue
            # a case that relied on several provisions: take the reason that speaks to this one
            scored = sorted(((len(vocab & set(tokenize(p))), i, p) for i, p in enumerate(case.get("harm_points") or [])
                             if p.lower().strip(". ") not in seen and not invalid_citations(p)),
                            key=lambda t: (-t[0], t[1]))
            if not scored or (len(fams) > 1 and scored[0][0] == 0):
                continue
            point = scored[0][2].rstrip(".") + "."
            seen.add(point.lower().strip(". "))
            points.append({"text": point, "cite": book.cite_quote(Hit(chunks[0], case["similarity"]), point)})
            if len(points) >= self.settings.precedent_points:
                break
        return points

    def _family_vocabulary(self, fam: str) -> set[str]:
        """The words this project's own wording uses about a family (what it protects, its test, its harm)."""
        w = self._family_words(fam)
        text = " ".join(str(w.get(k) or "") for k in ("protects", "must_show", "harm", "harm_ncnd"))
        prov = REGISTRY.get(fam)
        return set(tokenize(f"{text} {prov.title if prov else ''}"))

    # --- free questions --------------------------------------------------------
    def answer(self, question: str, mode: str, history: list[dict], retriever: Retriever, filters: Filters,
               backend=None, answers=None) -> Answer:
        """The answer to a free question: a reviewed answer from the answer base when one fits
        (the direct answer, what changes it, what to do next, each cited), with the registry's
        facts for any provision the question names; otherwise the closest passages."""
        if not question.strip():
            raise ValueError("the question is empty")
        book = CitationBook()
        lead, lead_cite = self._provision_facts(question, retriever, book)
        match = answers.match(question, retriever.query_vector, history, mode) if answers is not None else None
        audience = "member of the public" if mode == "requester" else "FOI officer"
        if match is not None:
            a = match.answer
            direct_cite = " ".join(dict.fromkeys(m for m in (self._cite_answer(retriever, book, c) for c in a.citations)
                                                 if m))
            step, conditions = a.step_for(mode), list(a.conditions)
            first = bool(lead) and "does not exist" in lead
            also = match.also.answer if match.also else None
            step_cite = None                # the Scottish route's citation, or the step's own below
            if match.scottish:
                scot = self.t.steps.get("scottish_answer") or {}
                uk_route = re.compile(scot.get("not_scottish", "$^"))
                if also is not None and also.regime in ("foia", "eir") and uk_route.search(also.text_for(mode)):
                    also = None         # a second answer about the ICO or its tribunals misleads a Scot
                if a.regime in ("foia", "eir"):
                    # an answer written for FOIA, about a Scottish authority: what differs first (with
                    # FOISA's numbers for the FOIA sections the answer names), then the Scottish route,
                    # without the conditions about the UK regulator or tribunal
                    conditions = [c for c in conditions if not uk_route.search(c)]
                    cite = self._law(retriever, book, "foisa-procedure", scot.get("topic", "FOISA review"))
                    numbering = _foisa_numbering([a.text_for(mode), *conditions, also.text_for(mode) if also else ""],
                                                 scot.get("counterparts", ""))
                    note = f"{scot['note']} {numbering}".strip()
                    lead, lead_cite = (f"{note} {cite} {lead}", lead_cite) if lead else (note, cite)
                    step, step_cite, first = scot.get(f"step_{mode}", step), cite, True
            elif also is not None and also.regime in ("foisa", "eisr"):
                also = None             # and a Scottish one misleads everyone else
            if step_cite is None:
                step_cite = self._step_cite(retriever, book, step) or (direct_cite.split()[0] if direct_cite else "")
            also_cite = " ".join(dict.fromkeys(m for m in (self._cite_answer(retriever, book, c) for c in also.citations)
                                               if m)) if also else ""
            shown = " ".join([a.text_for(mode), lead, *conditions, also.text_for(mode) if also else ""])
            side_notes = [] if match.scottish else self._notes(question, a, also, shown, retriever, book)
            text = self.t.render("ask_answer.md.j2", matched=True, direct=a.text_for(mode), direct_cite=direct_cite,
                                 lead=lead, lead_cite=lead_cite, lead_first=first,
                                 conditions=conditions, step=step, step_cite=step_cite,
                                 also=_without_verdict(also.text_for(mode)) if also else "",
                                 also_title=also.title if also else "",
                                 also_cite=also_cite, notes=side_notes)
            text, notes = self._llm(backend, text, book, set(parse_citations(text)), False, audience)
            book.verify()
            return Answer(question, text, book.citations, [], weak=False, notes=notes, topic=match.to_json())
        query = question
        prior = [m["content"] for m in history if m.get("role") == "user"]
        if prior and (len(question.split()) < 8 or re.search(r"\b(it|that|this|they|them|those)\b", question, re.I)):
            query = f"{prior[-1]} {question}"
        if not filters.kinds and not PRECEDENT_QUESTION.search(question):
            # a question about the law is answered from the law and guidance; past
            # responses are searched when the question asks about them
            filters = replace(filters, kinds=("legislation", "guidance"))
        hits = retriever.search(query, k=self.settings.top_k, filters=filters)
        book.retrieve(hits)
        passages = []
        per_doc: dict[str, int] = {}
        for h in hits:
            if per_doc.get(h.chunk.doc_id, 0) >= 2 or len(passages) >= self.settings.answer_passages:
                continue
            per_doc[h.chunk.doc_id] = per_doc.get(h.chunk.doc_id, 0) + 1
            passages.append(self._passage(h, query, book))
        weak = retriever.is_weak(hits)
        text = self.t.render("ask_answer.md.j2", matched=False, lead=lead, lead_cite=lead_cite, passages=passages,
                             weak=weak)
        text, notes = self._llm(backend, text, book, set(parse_citations(text)), False, audience)
        book.verify()
        return Answer(question, text, book.citations, hits, weak=weak, notes=notes)

    def _notes(self, question: str, a, also, shown: str, retriever: Retriever, book: CitationBook) -> list[dict]:
        """Short cited paragraphs on what the answer shown does not already say (outside Scotland):
        where the kind of body the question names stands under FOIA (prompts/bodies.yaml), what a
        situation it mentions changes (prompts/situations.yaml: a private motive, a phone call), and, for
        an answer written under FOIA to a question that looks environmental, what the EIR change
        (prompts/next_steps.yaml environmental_answer)."""
        notes = []
        for b in self.t.bodies:
            if re.search(b["pattern"], question, re.I):
                if not re.search(b["covered"], shown, re.I):
                    notes.append({"title": b["title"], "text": b["note"],
                                  "cite": self._law(retriever, book, b["doc"], b["topic"])})
                break
        for sit in self.t.situations:
            if re.search(sit["pattern"], question, re.I) and not re.search(sit["covered"], shown, re.I):
                notes.append({"title": sit["title"], "text": sit["note"],
                              "cite": self._law(retriever, book, sit["doc"], sit["topic"])})
        env = self.t.steps.get("environmental_answer")
        if env and a.regime == "foia" and (also is None or also.regime == "foia") and ENVIRONMENTAL.search(question) \
                and not re.search(env["shown"], shown):
            notes.append({"title": env["title"], "text": env["note"],
                          "cite": self._law(retriever, book, env["doc"], env["topic"])})
        return notes

    def _provision_facts(self, question: str, retriever: Retriever, book: CitationBook) -> tuple[str, str]:
        """The registry's facts about each provision a question names (up to NAMED_FACTS of them, one
        per section: "s31(1)(a) and s40(2), do I need a PIT for both?" gets both), in the wording of
        prompts/exemptions.yaml, cited; under its Act's numbering when the question is about Scotland.
        A provision that does not exist comes first."""
        named = provisions_named(question, scottish=is_scottish(question))
        per_section: dict[str, str] = {}
        for c in named:
            per_section.setdefault(REGISTRY.get(c).key, c)
        chosen = list(per_section.values())[:NAMED_FACTS]
        chosen.sort(key=lambda c: REGISTRY.exists(c))            # stable: a provision that does not exist first
        parts = [self._one_provision(c, question, retriever, book) for c in chosen]
        if not parts:
            return "", ""
        # the template adds the last citation; the others follow their own provision's words
        lead = " ".join([f"{text} {cite}".strip() for text, cite in parts[:-1]] + [parts[-1][0]])
        return lead, parts[-1][1]

    def _one_provision(self, c: str, question: str, retriever: Retriever, book: CitationBook) -> tuple[str, str]:
        prov = REGISTRY.get(c)
        facts = self.t.wording.get("provision_facts") or {}
        act = ACT_NAMES.get(prov.act, "")
        if not REGISTRY.exists(c):
            return facts["missing"].format(name=section_name(c), number=prov.number, title=prov.title.lower(), act=act), \
                self._law(retriever, book, doc_for_family(prov.key), prov.title)
        absolute = REGISTRY.is_absolute(c)
        if prov.kind == "refusal" and "refusal" in facts:
            kind = facts["refusal"]
        elif absolute is None:
            kind = facts["procedure"]
        elif absolute:
            kind = facts["absolute"]
        elif prov.absolute_where and "qualified_except" in facts:      # s36: absolute for either House
            kind = facts["qualified_except"].format(where=prov.absolute_where)
        else:
            kind = facts["qualified"]
        whole = c.rsplit(":", 1)[-1] == f"s{prov.number}"          # "section 18", not "section 18(1)"
        lead = facts["is_section" if whole and "is_section" in facts else "is"].format(
            name=section_name(c), number=prov.number, title=prov.title, kind=kind, act=act)
        ncnd = REGISTRY.is_ncnd_provision(c)
        if ncnd:
            lead += " " + facts["is_ncnd_cost" if prov.test == "cost" and "is_ncnd_cost" in facts else "is_ncnd"].format(
                name=section_name(c))
        elif prov.ncnd and prov.is_exemption:
            lead += " " + facts["has_ncnd"].format(ncnd=section_name(prov.ncnd))
        elif prov.kind == "exemption":
            lead += " " + facts["no_ncnd"]
        if is_scottish(question) and prov.act == "foia" and prov.foisa:
            counterpart = REGISTRY.foisa_counterpart(c)
            if counterpart and "foisa_counterpart" in facts:
                lead += " " + facts["foisa_counterpart"].format(name=section_name(c),
                                                                counterpart=_lower_first(section_name(counterpart)))
            elif ncnd and prov.kind == "exemption" and "foisa_no_ncnd" in facts:
                lead += " " + facts["foisa_no_ncnd"].format(name=section_name(c))
        w = self._family_words(prov.key) if prov.act == "foia" else {}
        if w.get("protects"):
            lead += " " + w["protects"]
        cite = self._law(retriever, book, doc_for_family(prov.key) if prov.act != "foisa" else "foisa",
                         "neither confirm nor deny" if ncnd else f"what it protects {question} {prov.title}")
        return lead, cite

    def _cite_answer(self, retriever: Retriever, book: CitationBook, citation) -> str:
        """A reviewed answer's citation: the chunk of its document that holds its quote."""
        chunks = retriever.index.by_doc(citation.doc)
        wanted = citation.quote
        holder = next((c for c in chunks if quote_in(wanted, c.text)), None)
        hit = Hit(holder, 1.0) if holder is not None else retriever.lookup(citation.doc, wanted)
        return book.cite_quote(hit, wanted) if hit is not None else ""

    def _step_cite(self, retriever: Retriever, book: CitationBook, step: str) -> str:
        """A next step cited to the procedure it follows (prompts/next_steps.yaml step_sources)."""
        for rule in self.t.steps.get("step_sources") or []:
            if step and re.search(rule["pattern"], step, re.I):
                return self._law(retriever, book, rule["doc"], rule.get("topic") or step)
        return ""


def _foisa_numbering(shown: list[str], wording: str) -> str:
    """FOISA's numbers for the FOIA sections named in the text shown (registry counterparts:
    "FOISA section 38(1)(b) for section 40(2)"), so a Scottish reader can use the answer."""
    named = parse_citations(" ".join(shown))
    pairs: dict[str, str] = {}                      # one FOIA section for each FOISA counterpart
    for c in named:
        t = REGISTRY.foisa_counterpart(c)
        if t and t not in pairs and REGISTRY.get(t).number != REGISTRY.get(c).number:
            pairs[t] = f"FOISA {_lower_first(section_name(t).split(' of ')[0])} for {_lower_first(section_name(c))}"
    return wording.format(pairs="; ".join(pairs.values())) if pairs and wording else ""


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _without_verdict(text: str) -> str:
    """A second answer shown beside the first: its opening "Yes." or "No." answered its own
    question, not the user's, so it goes."""
    rest = VERDICT.sub("", text, count=1)
    return rest[:1].upper() + rest[1:] if rest else text
