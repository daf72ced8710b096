"""Which records are the same case. One case is often published several
times: as an ICO decision notice, as a tribunal judgment on appeal from it,
and as a summary on a law report site; an authority's disclosure log and a
WhatDoTheyKnow page may both hold its response. Two records are the same
case when they share
- a case reference (normalised: FS50307051, IC-123456, EA/2010/0095 ...),
  including references a record only mentions ("appeal against FS5...");
- the authority and its own request reference;
- the page they came from (for exclusion: a page that lists several cases
  is treated as one, which costs a scored case a few neighbours at most);
- or a near-identical request to the same authority.
The evals and the tuner exclude every precedent that is the same case as the
one being scored; the library builder merges such records."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import ref_key, refs_in

NEAR_IDENTICAL = 0.7          # word-set overlap (Jaccard) of two requests to one authority
_STOP = frozenset("""a about all an and any are as asked at be been between by copies copy details for from had has
have held in information into is it its of on or over past please provide records relating requester
requested that the their them these they this those to was were what which with years""".split())
_AUTHORITY_NOISE = re.compile(r"\b(?:the|of|and|for|council|borough|city|county|district|metropolitan|london|"
                              r"royal|police|constabulary|service|nhs|foundation|trust|department|ministry|"
                              r"office|hm|his|her|majesty's|majestys)\b|[^a-z0-9 ]")


def authority_core(name: str | None) -> str:
    """'Kent County Council' -> 'kent'; 'Department for Work and Pensions' -> 'work pensions'."""
    return " ".join(_AUTHORITY_NOISE.sub(" ", (name or "").lower()).split())


def request_words(text: str | None) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _STOP and len(w) > 2)


@dataclass(frozen=True)
class CaseKeys:
    refs: frozenset[str]
    authority: str
    authority_type: str
    reference: str
    url: str
    words: frozenset[str]


def keys_of(rec: dict) -> CaseKeys:
    """The keys of a record (a library record, a dev case, or a precedent's metadata)."""
    refs = {ref_key(r) for r in [rec.get("decision_ref"), *(rec.get("related_refs") or []),
                                 *refs_in(rec.get("notes")), *refs_in(rec.get("reference"))] if r}
    refs.discard(None)
    urls = [rec.get("url") or rec.get("case_url") or ""]
    return CaseKeys(refs=frozenset(r for r in refs if r), authority=authority_core(rec.get("authority")),
                    authority_type=str(rec.get("authority_type") or ""),
                    reference=" ".join(str(rec.get("reference") or "").lower().split()),
                    url=(urls[0] or "").strip().rstrip("/"), words=request_words(rec.get("request")))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def same_case(a: CaseKeys, b: CaseKeys, *, strict: bool = False) -> bool:
    """strict (for merging): a shared page counts only when neither record names a
    different case; loose (for exclusion): a shared page is enough."""
    if a.refs & b.refs:
        return True
    same_authority = bool(a.authority) and a.authority == b.authority and (
        not a.authority_type or not b.authority_type or a.authority_type == b.authority_type)
    if same_authority and a.reference and a.reference == b.reference:
        return True
    if a.url and a.url == b.url and (not strict or not (a.refs and b.refs)):
        return True
    return same_authority and jaccard(a.words, b.words) >= NEAR_IDENTICAL


class CaseIndex:
    """The precedents of an index by case keys, built once per index generation:
    which documents are the same case as a given record."""

    def __init__(self, docs: dict[str, CaseKeys]):
        self.docs = docs
        self.by_ref: dict[str, set[str]] = {}
        self.by_url: dict[str, set[str]] = {}
        self.by_authority: dict[str, set[str]] = {}
        for doc_id, k in docs.items():
            for r in k.refs:
                self.by_ref.setdefault(r, set()).add(doc_id)
            if k.url:
                self.by_url.setdefault(k.url, set()).add(doc_id)
            if k.authority:
                self.by_authority.setdefault(k.authority, set()).add(doc_id)

    def same_as(self, keys: CaseKeys) -> frozenset[str]:
        """Every document that is the same case as these keys (loose: for exclusion)."""
        found: set[str] = set()
        for r in keys.refs:
            found |= self.by_ref.get(r, set())
        if keys.url:
            found |= self.by_url.get(keys.url, set())
        for doc_id in self.by_authority.get(keys.authority, set()) if keys.authority else ():
            if same_case(keys, self.docs[doc_id]):
                found.add(doc_id)
        # a document found by reference may itself name further references (a tribunal
        # record naming the notice it was appealed from): follow them once
        for doc_id in list(found):
            for r in self.docs[doc_id].refs - keys.refs:
                found |= self.by_ref.get(r, set())
        return frozenset(found)
