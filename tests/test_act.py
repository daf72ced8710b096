"""The registry of the Act and the citation grammar."""
import pytest

from assistant.config import REPO_ROOT
from assistant.reason.act import REGISTRY, invalid_citations, normalise, parse_citations


@pytest.mark.parametrize("text,expected", [
    ("Section 31 (1)(a)(b)", ["s31(1)(a)", "s31(1)(b)"]),
    ("s.40(5B)(a)(i)", ["s40(5B)(a)(i)"]),
    ("sections 23(5) and 24(2)", ["s23(5)", "s24(2)"]),
    ("S24(2)", ["s24(2)"]),
    ("Section 31(1)(a) and (b)", ["s31(1)(a)", "s31(1)(b)"]),
    ("section 36(2)(b)(i) and (ii)", ["s36(2)(b)(i)", "s36(2)(b)(ii)"]),
    ("Sections 23(5), 24(2), 30(3) and 31(3)", ["s23(5)", "s24(2)", "s30(3)", "s31(3)"]),
    ("Section 24 and Section 31", ["s24", "s31"]),
    ("section 40(2) and (3A)(a)", ["s40(2)", "s40(3A)(a)"]),
    ("Section 22A", ["s22A"]),
    ("regulation 12(5)(a) and 12(4)(b)", ["reg12(5)(a)", "reg12(4)(b)"]),
    ("ss.40(2)", ["s40(2)"]),
    ("Section 24(2) National Security\nSection 31(3) Law enforcement", ["s24(2)", "s31(3)"]),
])
def test_citation_forms_are_normalised(text, expected):
    assert parse_citations(text) == expected


@pytest.mark.parametrize("text", ["FS50581222 and EA/2005/0026", "in 2019 there were 5 cases", "it's 12 days"])
def test_no_false_citations(text):
    assert parse_citations(text) == []


def test_invalid_provisions_are_found():
    assert invalid_citations("we rely on section 31(5)") == ["s31(5)"]
    assert invalid_citations("section 99 applies") == ["s99"]
    assert invalid_citations("sections 24(2) and 31(3)") == []


def test_registry_facts():
    assert REGISTRY.is_absolute("s21") and REGISTRY.is_absolute("s23(5)") and REGISTRY.is_absolute("s41")
    assert REGISTRY.is_absolute("s24(2)") is False and REGISTRY.is_absolute("s31(1)(a)") is False
    assert REGISTRY.is_absolute("s37(1)(a)") and REGISTRY.is_absolute("s37(1)(b)") is False
    assert REGISTRY.get("s21").ncnd is None
    assert REGISTRY.is_ncnd_provision("s31(3)") and not REGISTRY.is_ncnd_provision("s31(1)(a)")
    assert REGISTRY.is_ncnd_provision("s40(5B)") and REGISTRY.is_ncnd_provision("s40(5)(b)(i)")
    assert normalise("Section 12 (1)") == "s12(1)"


def test_every_exemption_has_a_corpus_document():
    docs = {p.stem.lower() for p in (REPO_ROOT / "corpus" / "exemptions").glob("*.md")}
    missing = [p.key for p in REGISTRY.exemptions() if p.key.lower() not in docs]
    assert not missing, f"exemptions with no corpus document: {missing}"


def test_every_ncnd_subsection_exists():
    for p in REGISTRY.provisions.values():
        for n in p.ncnd_provisions():
            assert REGISTRY.exists(n), n
