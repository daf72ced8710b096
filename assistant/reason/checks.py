"""Checks on any response text, whether a letter an authority sent or a
draft we (or an LLM) wrote: the s17 refusal-notice contents, provisions
that do not exist, NCND claimed under a provision that has none, absolute
exemptions given a public interest test (or qualified ones none), and
NCND answers that leak whether information is held."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from ..types import Check
from .act import REGISTRY, family, invalid_citations, parse_citations
from .dates import working_days_between

CHECKS = Path(__file__).resolve().parents[2] / "prompts" / "checks.yaml"
PIT_RE = re.compile(r"public interest|balanc(?:e|ing) (?:test|of)|factors? (?:favouring|for|against|in favour)", re.I)
REASONS_RE = re.compile(r"\bharm|prejudic|adversely affect|would be likely|(?:would|could|might|may) (?:undermine|compromise|reveal|prejudice|endanger|damage|breach|hinder|assist|allow|enable|lead|be used|jeopardi[sz]e|impact|identify|disclose|indicate|show)|because|as (?:this|it) would|risk|endanger|breach of|exceed|vexatious|privilege|confidence|fairness|data protection|reasonable opinion|detriment|mosaic|of (?:use|value|assistance) to|would be to the", re.I)
REVIEW_RE = re.compile(r"internal review|review (?:of|the) (?:our|this|the) (?:decision|response|handling)|ask (?:us )?for a review|request a review|complaints? procedure|dissatisfied", re.I)
ICO_RE = re.compile(r"information commissioner|\bICO\b|section 50|\bs\.?\s?50\b|section 47|\bSIC\b|"
                    r"commissioner(?:'s)? (?:office|decision)|apply to the commissioner", re.I)
# "neither confirms nor denies", "will neither confirm nor deny", "cannot confirm or deny", "is not able to
# confirm or deny", "neither confirm or deny" (a common slip), "NCND"
NCND_RE = re.compile(r"neither\s+(?:to\s+)?confirm(?:s|ing)?\s+n?or\s+den(?:y|ies|ying)|\bNCND\b|"
                     r"(?:cannot|can't|can\s+not|will\s+not|won't|unable\s+to|not\s+able\s+to|not\s+in\s+a\s+position\s+to)"
                     r"\s+(?:either\s+)?confirm\s+or\s+deny", re.I)
# a sentence that mentions the public interest test only to say it does not apply
NEGATED_RE = re.compile(r"\b(?:no|not|without|never|none|need not|needn't|does not|doesn't|is not|isn't)\b[^.]{0,80}public interest|public interest[^.]{0,60}\b(?:does not|doesn't|is not|isn't|not) (?:apply|applies|required|needed|relevant)", re.I)
QUAL_STATEMENT_RE = re.compile(
    r"((?:(?:section|s\.?)\s*\d{1,2}[A-Z]?(?:\([0-9A-Za-z]+\))*[\s,]*(?:and|&)?\s*)+)"
    r"(?:is|are)\s+(?:both\s+|all\s+|each\s+)?(?:an?\s+)?(absolute|qualified)", re.I)

# Wording that confirms or denies holding information. A sentence that is
# itself about confirming or denying ("whether", "would") is not a leak.
LEAK_PATTERNS = [
    ("confirms holding", re.compile(r"\bwe (?:do )?hold\b|\b(?:is|are) held by (?:us|the|this)|\bwe have (?:located|found|identified|retrieved) |\bthe information (?:we hold|held)\b|\bwe (?:do )?have (?:records|information|data|files?)\b|\bour records (?:show|indicate|confirm)", re.I)),
    ("denies holding", re.compile(r"\bno (?:such )?(?:records?|information|data|files?|documents?) (?:of|about|relating to|on)?[^.]{0,60}\b(?:exists?|is held|are held|was found|were found)\b|\bwe do(?: not|n't) hold\b|\b(?:is|are) not held\b|\bno information (?:is )?held\b|\bdoes not exist\b|\bwe (?:do not|don't) (?:use|deploy|have)\b", re.I)),
    ("gives numbers", re.compile(r"\b\d+\s+(?:cases?|operations?|deployments?|occasions?|individuals?|people|persons?|records?|investigations?|warrants?|authori[sz]ations?|incidents?|complaints?|referrals?|officers?)\b", re.I)),
    ("describes the matter as fact", re.compile(r"\bthe (?:operation|investigation|deployment|surveillance|warrant) (?:took place|was (?:carried out|authori[sz]ed|conducted|closed))|\b(?:was|were|has been|have been) (?:arrested|investigated|disciplined|dismissed|charged|suspended)\b", re.I)),
]
HYPOTHETICAL_RE = re.compile(r"\bwhether\b|confirm(?:ing)? or deny|neither confirm|\bif\b|\bwould\b|\bcould\b|\bmay\b|\bmight\b|\bany (?:other |further )?information\b|\bis or is not\b|\bor not\b", re.I)


def sentences(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text)
    return [s for s in re.split(r"(?<=[.!?])\s+|\s*\n\s*|(?<=:)\s+(?=[A-Z])", flat) if s.strip()]


def leaks(text: str, *, allow_not_held: bool = False) -> list[tuple[str, str]]:
    """(kind, sentence) for each sentence that confirms or denies holding information."""
    found = []
    for s in sentences(text):
        if HYPOTHETICAL_RE.search(s):
            continue
        for kind, pattern in LEAK_PATTERNS:
            if kind == "denies holding" and allow_not_held:
                continue
            if pattern.search(s):
                found.append((kind, s.strip()))
                break
    return found


@lru_cache(maxsize=1)
def wording() -> dict:
    """The checks' messages and each Act's provisions for them (prompts/checks.yaml)."""
    return yaml.safe_load(CHECKS.read_text(encoding="utf-8"))


def _say(check: str, which: str, regime: str = "foia", **values) -> str:
    w = wording()
    return w["messages"][check][which].format(ref=w["refs"].get(regime, w["refs"]["foia"]), **values)


def qualification_errors(text: str, regime: str = "foia") -> list[str]:
    """Statements that call an absolute exemption qualified, or the reverse."""
    errors = []
    for m in QUAL_STATEMENT_RE.finditer(text):
        said = m.group(2).lower()
        for c in parse_citations(m.group(1), regime=regime if regime in ("foisa", "eisr") else None):
            actual = REGISTRY.is_absolute(c)
            if actual is None:
                continue
            if actual and said == "qualified":
                errors.append(_say("absolute_qualified", "called_qualified", regime, c=c))
            elif not actual and said == "absolute":
                errors.append(_say("absolute_qualified", "called_absolute", regime, c=c))
    return errors


def ncnd_claims(text: str, regime: str = "foia") -> list[str]:
    """Provisions the text relies on to neither confirm nor deny: those cited in
    the NCND sentence and the paragraph that follows it."""
    claims: list[str] = []
    reg = regime if regime != "foia" else None
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    for i, p in enumerate(paras):
        if NCND_RE.search(p):
            window = p + "\n" + (paras[i + 1] if i + 1 < len(paras) else "")
            if parse_citations(p, regime=reg):
                window = p
            for c in parse_citations(window, regime=reg):
                if REGISTRY.get(c) and REGISTRY.get(c).kind in ("exemption", "refusal") and c not in claims:
                    claims.append(c)
    return claims


def ncnd_provision_errors(claims: list[str]) -> list[str]:
    errors = []
    for c in claims:
        prov = REGISTRY.get(c)
        if prov is None or prov.act == "foisa":      # FOISA's NCND is s18, applied with the exemption
            continue
        if not prov.ncnd_provisions():
            errors.append(f"{c}: {prov.title} has no neither-confirm-nor-deny provision; NCND cannot rest on it")
        elif c != prov.key and not REGISTRY.is_ncnd_provision(c):
            errors.append(f"{c} is not the NCND provision of section {prov.number}; the duty to confirm or deny is excluded by {prov.ncnd}")
    return errors


def check_response(text: str, *, ncnd: bool | None = None, partial_not_held: bool | None = None,
                   received: date | None = None, sent: date | None = None,
                   expect_refusal: bool = True, regime: str = "foia", relied: list[str] | None = None) -> list[Check]:
    """The refusal-notice and NCND checks, each with a message a person can act on, under
    the Act the response is under (regime: foia, eir, foisa, eisr). relied: the provisions
    the response applies to the request, when known (explain.py tells them from those it
    only mentions); otherwise every exemption cited."""
    cited = parse_citations(text, regime=regime if regime != "foia" else None)
    exemptions = [c for c in (relied if relied is not None else cited)
                  if REGISTRY.get(c) and REGISTRY.get(c).kind in ("exemption", "refusal")]
    families = list(dict.fromkeys(family(c) for c in exemptions))
    is_ncnd = bool(NCND_RE.search(text)) if ncnd is None else ncnd
    checks: list[Check] = []

    bad = invalid_citations(text, regime=regime if regime != "foia" else None)
    checks.append(Check("provisions_exist", not bad,
                        _say("provisions_exist", "fail" if bad else "ok", regime, bad=", ".join(bad))))
    if expect_refusal:
        checks.append(Check("exemption_named", bool(families),
                            _say("exemption_named", "ok" if families else "fail", regime, families=", ".join(families))))
        has_reasons = bool(REASONS_RE.search(text))
        checks.append(Check("reasons_given", has_reasons, _say("reasons_given", "ok" if has_reasons else "fail", regime)))
    qualified = [f for f in families if REGISTRY.is_absolute(f) is False
                 and not any(REGISTRY.is_absolute(c) for c in exemptions if family(c) == f)]
    absolute = [f for f in families if f not in qualified and REGISTRY.get(f).kind == "exemption"]
    has_pit = bool(PIT_RE.search(text))
    if qualified:
        checks.append(Check("public_interest", has_pit,
                            _say("public_interest", "ok" if has_pit else "fail", regime, qualified=", ".join(qualified),
                                 be="is a" if len(qualified) == 1 else "are")))
    qual_errors = qualification_errors(text, regime)
    applies_pit = any(PIT_RE.search(s) and not NEGATED_RE.search(s) for s in sentences(text))
    needless = absolute and not qualified and applies_pit
    msg = list(qual_errors)
    if needless:
        msg.append(_say("absolute_qualified", "needless", regime, absolute=", ".join(absolute),
                        be="is" if len(absolute) == 1 else "are"))
    checks.append(Check("absolute_qualified", not msg, " ".join(msg) if msg else _say("absolute_qualified", "ok", regime)))
    if is_ncnd:
        errors = ncnd_provision_errors(ncnd_claims(text, regime))
        checks.append(Check("ncnd_provisions", not errors, " ".join(errors) if errors else _say("ncnd_provisions", "ok")))
        allow = partial_not_held if partial_not_held is not None else bool(
            re.search(r"\bnot held\b|no information (?:is )?held", text, re.I))
        found = leaks(text, allow_not_held=allow)
        checks.append(Check("ncnd_leak", not found, _say("ncnd_leak", "fail" if found else "ok", regime, found="; ".join(
            f'{k}: "{s[:140]}"' for k, s in found[:4]))))
    if expect_refusal or families:
        has_review = bool(REVIEW_RE.search(text))
        checks.append(Check("internal_review_stated", has_review,
                            _say("internal_review_stated", "ok" if has_review else "fail", regime)))
        has_ico = bool(ICO_RE.search(text))
        checks.append(Check("ico_right_stated", has_ico, _say("ico_right_stated", "ok" if has_ico else "fail", regime)))
    if received and sent:
        days = working_days_between(received, sent)
        ok = days <= 20
        checks.append(Check("timeliness", ok, _say("timeliness", "ok" if ok else "fail", regime, days=days)))
    return checks
