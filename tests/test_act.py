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
    ("they said it was exempt under 'section 40(2)'", ["s40(2)"]),      # a citation in quotes
    ("‘s.43(2)’ was relied on", ["s43(2)"]),
])
def test_citation_forms_are_normalised(text, expected):
    assert parse_citations(text) == expected


@pytest.mark.parametrize("text", ["FS50581222 and EA/2005/0026", "in 2019 there were 5 cases", "it's 12 days",
                                  "the council's 40 staff"])
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


@pytest.mark.parametrize("foia,foisa", [
    ("s40(2)", "foisa:s38(1)(b)"), ("s40(1)", "foisa:s38(1)(a)"), ("s40", "foisa:s38(1)"),
    ("s40(5B)(a)(i)", "foisa:s18(1)"), ("s40(5)", "foisa:s18(1)"),
    ("s42(1)", "foisa:s36(1)"), ("s41(1)", "foisa:s36(2)"), ("s21", "foisa:s25"), ("s22", "foisa:s27(1)"),
    ("s31(1)(a)", "foisa:s35(1)"), ("s31(3)", "foisa:s18(1)"), ("s24(2)", "foisa:s18(1)"), ("s36(2)(b)(i)", "foisa:s30"),
    ("s42(2)", None), ("s22(2)", None), ("s12(2)", None),     # FOISA has no NCND for these
    ("s23(1)", None), ("s3(1)(a)", None),                      # no counterpart recorded
])
def test_foisa_counterparts(foia, foisa):
    """A FOIA provision's FOISA counterpart from act.yaml: by the longest subsection entry, and
    for an NCND subsection FOISA's NCND provision for that exemption (section 18(1)), if any."""
    assert REGISTRY.foisa_counterpart(foia) == foisa


def test_every_foisa_counterpart_exists():
    targets = [(p.key, t) for p in REGISTRY.provisions.values() for _, t in p.foisa]
    assert targets and all(REGISTRY.exists(t) for _, t in targets), [x for x in targets if not REGISTRY.exists(x[1])]


def test_provisions_named_in_a_scottish_question():
    from assistant.reason.act import provisions_named

    assert provisions_named("they cited section 30(b)(i)", scottish=True) == ["foisa:s30(b)(i)"]
    # FOISA has no section 40(5B); FOIA has: the question named FOIA's
    assert provisions_named("in England I'd use s40(5B)", scottish=True) == ["s40(5B)"]
    assert provisions_named("they cited section 30(1)(a)") == ["s30(1)(a)"]
    # labelled as FOIA's, a section stays FOIA's in a Scottish question (a Scottish council citing the wrong Act)
    assert provisions_named("the council cited 'section 36 of the Freedom of Information Act 2000'",
                            scottish=True) == ["s36"]
    assert provisions_named("they cited FOIA section 36", scottish=True) == ["s36"]
    assert provisions_named("they cited section 36 of the Freedom of Information Act", scottish=True) == ["foisa:s36"]
    # a label after a list is every later section's, and the first one's: both are FOIA's here
    assert provisions_named("citing 'section 36 and section 40 of the Freedom of Information Act 2000'",
                            scottish=True) == ["s36", "s40"]
    # a label before a list is only the first one's
    assert provisions_named("FOISA section 30(b), section 40(2) of FOIA", scottish=True) == ["foisa:s30(b)", "s40(2)"]


@pytest.mark.parametrize("text,expected", [
    ("apply to the Commissioner (FOISA section 47)", ["foisa:s47"]),
    ("under FOISA, section 47", ["foisa:s47"]),
    ("section 38(1)(b) FOISA", ["foisa:s38(1)(b)"]),
    ("FOISA sections 30(b)(i) and 35(1)(a)", ["foisa:s30(b)(i)", "foisa:s35(1)(a)"]),
    ("FOISA sections 30(b)(i), 35(1)(a) and section 40(2) of FOIA", ["foisa:s30(b)(i)", "foisa:s35(1)(a)", "s40(2)"]),
    ("under section 25 of FOISA, or section 21 of FOIA", ["foisa:s25", "s21"]),
])
def test_a_section_labelled_with_its_act(text, expected):
    assert parse_citations(text) == expected
