"""The registry of the Act as frozen data, and the citation grammar.

`parse_citations` turns any common way of writing a FOIA or EIR provision
("Section 31 (1)(a)(b)", "s.40(5B)(a)(i)", "sections 23(5) and 24(2)",
"S24(2)", "regulation 12(5)(a)") into normalised strings ("s31(1)(a)",
"s31(1)(b)", "s40(5B)(a)(i)", "s23(5)", "s24(2)", "reg12(5)(a)").
`REGISTRY` answers what exists, what is absolute, and which subsection
excludes the duty to confirm or deny.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "act.yaml"

ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
# a normalised citation: FOIA "s31(1)(a)", the EIR "reg12(5)(e)"; other Acts carry
# their name in front, "foisa:s38(1)(b)" (Scotland) and "eisr:reg10(5)(e)", since
# their numbers mean other things
CITE_RE = re.compile(r"^((?:[a-z]+:)?(?:s|reg))(\d{1,3}[A-Z]?)((?:\([0-9A-Za-z]+\))*)$")
ACT_NAMES = {"foia": "the Freedom of Information Act 2000", "eir": "the Environmental Information Regulations 2004",
             "foisa": "the Freedom of Information (Scotland) Act 2002",
             "eisr": "the Environmental Information (Scotland) Regulations 2004"}


@dataclass(frozen=True)
class Provision:
    key: str                      # "s31", "s22A", "reg12", "foisa:s38"
    act: str                      # foia | eir | foisa | eisr
    title: str
    kind: str                     # exemption | refusal | procedure | duty | remedy | offence
    paths: tuple[str, ...] = ()
    absolute: bool | None = None
    absolute_paths: tuple[str, ...] = ()
    qualified_paths: tuple[str, ...] = ()
    absolute_where: str = ""      # a qualified exemption that is absolute for some holders ("information held by ...")
    test: str | None = None
    ncnd: str | None = None       # the main NCND subsection, normalised
    ncnd_all: tuple[str, ...] = ()
    note: str = ""
    url: str = ""
    foisa: tuple[tuple[str, str], ...] = ()   # a FOIA provision's counterpart in FOISA, by subsection
    eir: tuple[tuple[str, str], ...] = ()     # and in the EIR, for environmental information

    @property
    def number(self) -> str:
        bare = self.key.split(":", 1)[-1]
        return bare[1:] if bare.startswith("s") else bare[3:]

    @property
    def is_exemption(self) -> bool:
        return self.kind in ("exemption", "refusal")

    def path_exists(self, path: str) -> bool:
        if not path:
            return True
        return any(p == path or p.startswith(path) for p in self.paths)

    def absolute_for(self, path: str = "") -> bool | None:
        """Absolute or qualified for a cited subsection (None: not an exemption)."""
        if self.absolute is None:
            return None
        if any(path.startswith(p) for p in self.absolute_paths if path):
            return True
        if any(path.startswith(p) for p in self.qualified_paths if path):
            return False
        return self.absolute

    def ncnd_provisions(self) -> tuple[str, ...]:
        return self.ncnd_all or ((self.ncnd,) if self.ncnd else ())


@dataclass(frozen=True)
class Registry:
    provisions: dict[str, Provision] = field(default_factory=dict)

    def get(self, citation: str) -> Provision | None:
        m = CITE_RE.match(citation)
        if not m:
            return None
        return self.provisions.get(f"{m.group(1)}{m.group(2)}")

    def family(self, citation: str) -> str:
        """'s31(1)(a)' -> 's31'; 'reg12(5)(a)' -> 'reg12'."""
        m = CITE_RE.match(citation)
        return f"{m.group(1)}{m.group(2)}" if m else citation

    def exists(self, citation: str) -> bool:
        m = CITE_RE.match(citation)
        if not m:
            return False
        prov = self.provisions.get(f"{m.group(1)}{m.group(2)}")
        return prov is not None and prov.path_exists(m.group(3))

    def is_absolute(self, citation: str) -> bool | None:
        prov = self.get(citation)
        if prov is None:
            return None
        return prov.absolute_for(CITE_RE.match(citation).group(3))

    def is_ncnd_provision(self, citation: str) -> bool:
        prov = self.get(citation)
        if prov is None:
            return False
        return any(citation == n or citation.startswith(n) for n in prov.ncnd_provisions())

    def act_of(self, citation: str) -> str | None:
        prov = self.get(citation)
        return prov.act if prov else None

    def _counterpart(self, citation: str, where: str) -> tuple[str, str] | None:
        """(subsection key, target) of a FOIA provision's counterpart in act.yaml's `where` (foisa,
        eir): the entry for the longest subsection the citation starts with."""
        prov = self.get(citation)
        if prov is None or prov.act != "foia" or not getattr(prov, where):
            return None
        m = CITE_RE.match(normalise(citation))
        path = m.group(3) if m else ""
        fits = [(k, v) for k, v in getattr(prov, where) if path.startswith(k)]
        if not fits:
            return None
        key, target = max(fits, key=lambda kv: len(kv[0]))
        return (key, target) if self.get(target) is not None else None

    def eir_counterpart(self, citation: str) -> str | None:
        """The EIR provision that does the work of a FOIA one for environmental information
        ("s43(2)" -> "reg12(5)(e)", "s10(3)" -> "reg7(1)"), from act.yaml."""
        found = self._counterpart(citation, "eir")
        return found[1] if found else None

    def foisa_counterpart(self, citation: str) -> str | None:
        """The FOISA provision that does the work of a FOIA one ("s40(2)" -> "foisa:s38(1)(b)"),
        from act.yaml: the entry for the longest subsection the citation starts with."""
        found = self._counterpart(citation, "foisa")
        if found is None:
            return None
        key, target = found
        if not key and self.is_ncnd_provision(citation):
            # a FOIA NCND subsection without an entry of its own: its counterpart is FOISA's NCND
            # provision for that exemption (section 18(1), for some exemptions only), or none
            return self.get(target).ncnd or None
        return target

    def exemptions(self, act: str = "foia") -> list[Provision]:
        return [p for p in self.provisions.values() if p.act == act and p.kind == "exemption"]


def _counterparts(entry, prefix: str = "foisa:") -> tuple[tuple[str, str], ...]:
    """act.yaml's `foisa:` (or `eir:`, prefix "") of a FOIA provision, one target ("s25") or one
    per subsection ({"(2)": "s38(1)(b)", ...}), as (subsection, prefixed target) pairs."""
    if not entry:
        return ()
    by_path = entry if isinstance(entry, dict) else {"": entry}
    return tuple((k, f"{prefix}{v}") for k, v in by_path.items())


@lru_cache(maxsize=1)
def load_registry(path: Path = DATA) -> Registry:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    provisions: dict[str, Provision] = {}
    for act, body in raw.items():
        prefix = body.get("prefix", "")
        for bare, p in body["provisions"].items():
            key = prefix + bare
            provisions[key] = Provision(
                key=key, act=act, title=p["title"], kind=p["kind"],
                paths=tuple(p.get("paths", ())), absolute=p.get("absolute"),
                absolute_paths=tuple(p.get("absolute_paths", ())),
                qualified_paths=tuple(p.get("qualified_paths", ())),
                absolute_where=p.get("absolute_where", ""),
                test=p.get("test"), ncnd=p.get("ncnd"), ncnd_all=tuple(p.get("ncnd_all", ())),
                note=p.get("note", ""),
                foisa=_counterparts(p.get("foisa")), eir=_counterparts(p.get("eir"), ""),
                url=f"{body['url']}/{'regulation' if bare.startswith('reg') else 'section'}/{bare.lstrip('sreg')}",
            )
    return Registry(provisions)


REGISTRY = load_registry()

# --- the citation grammar -------------------------------------------------

_BRACKETS = r"(?:\s?\(\s*[0-9]{1,2}[A-Za-z]?\s*\)|\s?\(\s*[a-z]{1,4}\s*\))*"
_SEP = r"\s*(?:,|;|\band\b|\bor\b|&|/)\s*"
_SECTION_RE = re.compile(
    r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]['’])(?P<kw>sections?|ss?\.|ss|s|§§?)\s*(?P<first>\d{1,2}[A-Z]?(?![0-9])" + _BRACKETS + ")"
    r"(?P<rest>(?:" + _SEP + r"(?:(?:sections?|s\.?)\s*)?(?:\d{1,2}[A-Z]?(?![0-9])" + _BRACKETS + r"|\(\s*[0-9A-Za-z]{1,4}\s*\)" + _BRACKETS + "))*)",
    re.IGNORECASE,
)
_REG_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<kw>regulations?|regs?\.?|r\.)\s*(?P<first>\d{1,2}(?![0-9])" + _BRACKETS + ")"
    r"(?P<rest>(?:" + _SEP + r"(?:(?:regulations?|regs?\.?)\s*)?(?:\d{1,2}(?![0-9])" + _BRACKETS + r"|\(\s*[0-9A-Za-z]{1,4}\s*\)" + _BRACKETS + "))*)",
    re.IGNORECASE,
)
_ITEM_RE = re.compile(r"(?P<num>\d{1,2}[A-Za-z]?(?![0-9]))?(?P<br>" + _BRACKETS + ")")
_TOKEN_RE = re.compile(r"\(\s*([0-9A-Za-z]{1,4})\s*\)")


def _level(token: str, prev_level: int) -> int:
    if token[0].isdigit():
        return 1
    if token.lower() in ROMAN and prev_level >= 2:
        return 3
    return 2


def _norm_token(token: str, level: int) -> str:
    if level == 1:
        return f"({token[:-1]}{token[-1].upper()})" if token[-1].isalpha() else f"({token})"
    return f"({token.lower()})"


def _expand(prefix: str, tokens: list[str], base: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Expand bracket tokens into full paths; "(1)(a)(b)" means (1)(a) and (1)(b).
    Returns the paths and the last path (as a token list) for continuations."""
    path: list[str] = list(base or [])
    levels: list[int] = [_level(t.strip("()"), i + 1) for i, t in enumerate(path)]
    out: list[str] = []
    pending = False
    for raw in tokens:
        prev = levels[-1] if levels else 0
        lvl = _level(raw, prev)
        tok = _norm_token(raw, lvl)
        if levels and lvl <= prev:
            if pending:
                out.append(prefix + "".join(path))
            while levels and levels[-1] >= lvl:
                levels.pop()
                path.pop()
        path.append(tok)
        levels.append(lvl)
        pending = True
    if pending or not path:
        out.append(prefix + "".join(path))
    return out, path


# "section 18(1) of the Commissioners for Revenue and Customs Act 2005": a provision of another Act
_OTHER_ACT = re.compile(r"\s*,?\s+(?:of|under|in)\s+(?:the\s+)?(?!Freedom\s+of\s+Information|FOIA|FOISA|EIRs?\b|"
                        r"Environmental\s+Information|this\s+Act|the\s+Act\b|Act\b)"
                        r"(?:[A-Z][\w'’&-]*(?:\s+(?:and|of|for|the|on|in|to|&)\b)?\s*){1,9}(?:Act|Regulations|Order|Rules)\b")


# a section labelled as FOISA's wherever it is written: "FOISA section 47", "section 38(1)(b) of FOISA"
_FOISA_BEFORE = re.compile(r"\bFOISA(?:['’]s)?[\s,]*$", re.I)
_FOISA_AFTER = re.compile(r"\s*,?\s*(?:(?:of|under|in)\s+(?:the\s+)?)?(?:FOISA\b|Freedom\s+of\s+Information\s+\(Scotland\))",
                          re.I)
# and as FOIA's, even in a Scottish text: "section 36 of the Freedom of Information Act 2000", "FOIA section 36"
# (kept FOIA's when the text is read under FOISA; a bare "Freedom of Information Act" is often said of FOISA)
_FOIA_BEFORE = re.compile(r"\bFOIA(?:['’]s)?[\s,]*$", re.I)
_FOIA_AFTER = re.compile(r"\s*,?\s*(?:(?:of|under|in)\s+(?:the\s+)?)?(?:FOIA\b|Freedom\s+of\s+Information\s+Act\s+2000)", re.I)
FOIA_LABEL = "="       # marks a citation labelled as FOIA's until parse_citations has read it
_ACT_LABELS = ((_FOISA_BEFORE, _FOISA_AFTER, "foisa:"), (_FOIA_BEFORE, _FOIA_AFTER, FOIA_LABEL))


def _act_labels(text: str, m: re.Match) -> tuple[str, str]:
    """The Act a citation is labelled with just before it and just after it: each "foisa:",
    FOIA_LABEL, or "" when it is not labelled there."""
    before = next((label for b, _, label in _ACT_LABELS if b.search(text, max(0, m.start() - 8), m.start())), "")
    after = next((label for _, a, label in _ACT_LABELS if a.match(text, m.end())), "")
    return before, after


def _parse(text: str, pattern: re.Pattern, prefix_kw: str) -> list[str]:
    found: list[str] = []
    for m in pattern.finditer(text):
        if _OTHER_ACT.match(text, m.end()):
            continue
        before, after = _act_labels(text, m) if prefix_kw == "s" else ("", "")
        label = before or after
        span = m.group("first") + (m.group("rest") or "")
        current_num: str | None = None
        last_path: list[str] = []
        for i, part in enumerate(re.split(_SEP, span)):
            if i and re.match(r"(?:sections?|s\.?)\s*\d", part.strip(), re.I):
                # a label before the list was the first one's ("FOISA section 30(b), section 40(2) of
                # FOIA"); one after it is every later one's ("section 36 and section 40 of FOIA")
                label = after
            part = re.sub(r"^(?:sections?|s\.?|regulations?|regs?\.?)\s*", "", part.strip(), flags=re.I)
            item = _ITEM_RE.match(part)
            if not item or not part:
                continue
            num = item.group("num")
            tokens = _TOKEN_RE.findall(item.group("br") or "")
            if num:
                current_num = num[:-1] + num[-1].upper() if num[-1].isalpha() else num
                paths, last_path = _expand(f"{prefix_kw}{current_num}", tokens)
            elif current_num and tokens:
                # "(b)" after "31(1)(a) and": a sibling at the level of its first token
                first_level = _level(tokens[0], 0) if tokens[0][0].isdigit() else (
                    3 if tokens[0].lower() in ROMAN and len(last_path) >= 2 else 2)
                base = last_path[: first_level - 1]
                paths, last_path = _expand(f"{prefix_kw}{current_num}", tokens, base)
            else:
                continue
            found.extend(label + p for p in paths)
    return found


# a bare EIR exception in an EIR letter: "12(5)(d)", "12(4)(b)", "13(1)" with no "regulation" before it
_BARE_EIR_RE = re.compile(r"(?<![\w(./])(1[23])\s?\(\s*(\d)\s*\)(?:\s?\(\s*([a-g])\s*\))?(?![\w(])")


def _in_regime(c: str, regime: str | None) -> str:
    """A citation read in a letter under one Act: FOISA letters' sections are FOISA's, the
    Scottish EIRs' regulations theirs; in an EIR letter a "section 12(5)(d)" that FOIA does
    not have but the EIR do is the EIR exception. A citation the text labels with its Act
    ("FOISA section 47") keeps it."""
    if ":" in c:
        return c
    if regime == "foisa":
        return ("foisa:" if c.startswith("s") else "eisr:") + c
    if regime == "eisr":
        return ("eisr:" if c.startswith("reg") else "foisa:") + c
    if regime == "eir" and c.startswith("s") and not REGISTRY.exists(c) and REGISTRY.exists("reg" + c[1:]):
        return "reg" + c[1:]
    return c


def parse_citations(text: str, *, validate: bool = True, regime: str | None = None) -> list[str]:
    """All provisions cited in text, normalised, in order, unique. regime: the Act the
    text is under (None or foia: FOIA and the EIR as written; eir: bare "12(5)(d)" and
    FOIA-shaped citations the EIR have are read as the EIR's; foisa or eisr: the Scottish
    Acts' numbering). With validate, only provisions whose section exists in the registry
    are kept (a subsection that does not exist is kept: see `invalid_citations`)."""
    out: list[str] = []
    found = _parse(text, _SECTION_RE, "s") + _parse(text, _REG_RE, "reg")
    if regime == "eir":
        found += [f"reg{m.group(1)}({m.group(2)})" + (f"({m.group(3)})" if m.group(3) else "")
                  for m in _BARE_EIR_RE.finditer(text)]
    for c in found:
        c = c[len(FOIA_LABEL):] if c.startswith(FOIA_LABEL) else _in_regime(c, regime)
        if validate and REGISTRY.get(c) is None:
            continue
        if c not in out:
            out.append(c)
    return out


def provisions_named(text: str, scottish: bool = False) -> list[str]:
    """The provisions a question names, read under FOISA's numbering when it is about a Scottish
    authority, except a section FOISA does not have but FOIA does ("in England I'd use s40(5B)"),
    which is FOIA's."""
    named = parse_citations(text, validate=False, regime="foisa" if scottish else None)
    if not scottish:     # a bare "12(5)(b)" that only the EIR have ("whats 12(4)(c) mean"): the EIR exception
        for m in _BARE_EIR_RE.finditer(text):
            tail = f"{m.group(1)}({m.group(2)})({m.group(3)})" if m.group(3) else ""
            if tail and REGISTRY.exists("reg" + tail) and not REGISTRY.exists("s" + tail) \
                    and "reg" + tail not in named and "s" + tail not in named:
                named.append("reg" + tail)
    named = [f if c.startswith("foisa:") and not REGISTRY.exists(c) and REGISTRY.exists(f := c.split(":", 1)[1])
             else c for c in named]
    return [c for c in named if REGISTRY.get(c)]


def normalise(citation: str) -> str:
    """One citation in any form -> normalised ("Section 12 (1)" -> "s12(1)")."""
    text = citation.strip()
    if CITE_RE.match(text):          # already normalised (and an Act's prefix kept)
        return text
    if re.match(r"^\d", text):
        text = "s" + text
    found = parse_citations(text, validate=False)
    return found[0] if found else citation


def invalid_citations(text: str, regime: str | None = None) -> list[str]:
    """Provisions named in text that do not exist (a section outside the Act,
    or a subsection the section does not have), read under the text's Act."""
    bad = []
    for c in parse_citations(text, validate=False, regime=regime):
        if not REGISTRY.exists(c) and c not in bad:
            bad.append(c)
    return bad


def family(citation: str) -> str:
    return REGISTRY.family(citation)
