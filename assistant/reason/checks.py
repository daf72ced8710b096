"""Checks on any response text, whether a letter an authority sent or a
draft we (or an LLM) wrote: the s17 refusal-notice contents, provisions
that do not exist, NCND claimed under a provision that has none, absolute
exemptions given a public interest test (or qualified ones none), and
NCND answers that leak whether information is held."""
from __future__ import annotations

import re
from datetime import date

from ..types import Check
from .act import REGISTRY, family, invalid_citations, parse_citations
from .dates import working_days_between

PIT_RE = re.compile(r"public interest|balanc(?:e|ing) (?:test|of)|factors? (?:favouring|for|against|in favour)", re.I)
REASONS_RE = re.compile(r"\bharm|prejudic|adversely affect|would be likely|would (?:undermine|compromise|reveal|prejudice|endanger|damage|breach|hinder|assist|allow|enable|lead)|because|as (?:this|it) would|risk|endanger|breach of|exceed|vexatious|privilege|confidence|fairness|data protection|reasonable opinion", re.I)
REVIEW_RE = re.compile(r"internal review|review (?:of|the) (?:our|this|the) (?:decision|response|handling)|ask (?:us )?for a review|request a review|complaints? procedure|dissatisfied", re.I)
ICO_RE = re.compile(r"information commissioner|\bICO\b|section 50|\bs\.?\s?50\b", re.I)
NCND_RE = re.compile(r"neither\s+confirm\s+n(?:or|either)\s+deny|\bNCND\b|(?:cannot|can't|will not|won't)\s+(?:either\s+)?confirm\s+or\s+deny", re.I)
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


def qualification_errors(text: str) -> list[str]:
    """Statements that call an absolute exemption qualified, or the reverse."""
    errors = []
    for m in QUAL_STATEMENT_RE.finditer(text):
        said = m.group(2).lower()
        for c in parse_citations(m.group(1)):
            actual = REGISTRY.is_absolute(c)
            if actual is None:
                continue
            if actual and said == "qualified":
                errors.append(f"{c} is called a qualified exemption, but it is absolute (FOIA s2(3)): no public interest test applies")
            elif not actual and said == "absolute":
                errors.append(f"{c} is called an absolute exemption, but it is qualified: a public interest test is required (s2(2)(b))")
    return errors


def ncnd_claims(text: str) -> list[str]:
    """Provisions the text relies on to neither confirm nor deny: those cited in
    the NCND sentence and the paragraph that follows it."""
    claims: list[str] = []
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    for i, p in enumerate(paras):
        if NCND_RE.search(p):
            window = p + "\n" + (paras[i + 1] if i + 1 < len(paras) else "")
            if parse_citations(p):
                window = p
            for c in parse_citations(window):
                if REGISTRY.get(c) and REGISTRY.get(c).kind in ("exemption", "refusal") and c not in claims:
                    claims.append(c)
    return claims


def ncnd_provision_errors(claims: list[str]) -> list[str]:
    errors = []
    for c in claims:
        prov = REGISTRY.get(c)
        if prov is None:
            continue
        if not prov.ncnd_provisions():
            errors.append(f"{c}: {prov.title} has no neither-confirm-nor-deny provision; NCND cannot rest on it")
        elif c != prov.key and not REGISTRY.is_ncnd_provision(c):
            errors.append(f"{c} is not the NCND provision of section {prov.number}; the duty to confirm or deny is excluded by {prov.ncnd}")
    return errors


def check_response(text: str, *, ncnd: bool | None = None, partial_not_held: bool | None = None,
                   received: date | None = None, sent: date | None = None,
                   expect_refusal: bool = True) -> list[Check]:
    """The s17 and NCND checks, each with a message a person can act on."""
    cited = parse_citations(text)
    exemptions = [c for c in cited if REGISTRY.get(c) and REGISTRY.get(c).kind in ("exemption", "refusal")]
    families = list(dict.fromkeys(family(c) for c in exemptions))
    is_ncnd = bool(NCND_RE.search(text)) if ncnd is None else ncnd
    checks: list[Check] = []

    bad = invalid_citations(text)
    checks.append(Check("provisions_exist", not bad,
                        "Every provision named exists in the Act." if not bad else
                        f"Names provisions that do not exist: {', '.join(bad)}."))
    if expect_refusal:
        checks.append(Check("exemption_named", bool(families),
                            f"Names the provision(s) relied on: {', '.join(families)} (s17(1)(b))." if families else
                            "Does not name the exemption relied on, as s17(1)(b) requires."))
        has_reasons = bool(REASONS_RE.search(text))
        checks.append(Check("reasons_given", has_reasons,
                            "Explains why the exemption applies (s17(1)(c))." if has_reasons else
                            "Gives no reasons why the exemption applies (s17(1)(c)), unless giving them would itself reveal exempt information (s17(4))."))
    qualified = [f for f in families if REGISTRY.is_absolute(f) is False
                 and not any(REGISTRY.is_absolute(c) for c in exemptions if family(c) == f)]
    absolute = [f for f in families if f not in qualified and REGISTRY.get(f).kind == "exemption"]
    has_pit = bool(PIT_RE.search(text))
    if qualified:
        checks.append(Check("public_interest", has_pit,
                            f"Sets out the public interest test for the qualified exemption(s) {', '.join(qualified)} (s17(3))." if has_pit else
                            f"{', '.join(qualified)} {'is a qualified exemption' if len(qualified) == 1 else 'are qualified exemptions'} but no public interest test is given (s2, s17(3))."))
    qual_errors = qualification_errors(text)
    applies_pit = any(PIT_RE.search(s) and not NEGATED_RE.search(s) for s in sentences(text))
    needless = absolute and not qualified and applies_pit
    msg = []
    if qual_errors:
        msg.extend(qual_errors)
    if needless:
        msg.append(f"A public interest test is applied although {', '.join(absolute)} {'is' if len(absolute) == 1 else 'are'} absolute: none is needed (s2(3)).")
    checks.append(Check("absolute_qualified", not msg,
                        "Treats absolute and qualified exemptions correctly." if not msg else " ".join(msg)))
    if is_ncnd:
        errors = ncnd_provision_errors(ncnd_claims(text))
        checks.append(Check("ncnd_provisions", not errors,
                            "Each NCND provision relied on exists." if not errors else " ".join(errors)))
        allow = partial_not_held if partial_not_held is not None else bool(
            re.search(r"\bnot held\b|no information (?:is )?held", text, re.I))
        found = leaks(text, allow_not_held=allow)
        checks.append(Check("ncnd_leak", not found,
                            "Nothing in the wording confirms or denies that information is held." if not found else
                            "Wording inside an NCND answer reveals whether information is held: " +
                            "; ".join(f'{k}: "{s[:140]}"' for k, s in found[:4])))
    if expect_refusal or families:
        has_review = bool(REVIEW_RE.search(text))
        checks.append(Check("internal_review_stated", has_review,
                            "States how to ask for an internal review (s17(7)(a))." if has_review else
                            "Does not tell the requester how to ask for an internal review, as s17(7)(a) requires."))
        has_ico = bool(ICO_RE.search(text))
        checks.append(Check("ico_right_stated", has_ico,
                            "States the right to complain to the Information Commissioner (s17(7)(b), s50)." if has_ico else
                            "Does not state the right to complain to the Information Commissioner under s50, as s17(7)(b) requires."))
    if received and sent:
        days = working_days_between(received, sent)
        ok = days <= 20
        checks.append(Check("timeliness", ok,
                            f"Answered in {days} working days (within the 20 of s10(1))." if ok else
                            f"Answered in {days} working days, later than the 20 working days s10(1) allows "
                            "(an extension under s10(3) covers only the public interest consideration)."))
    return checks
