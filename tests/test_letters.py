"""Letters read right: NCND in its common phrasings, FOISA and EIR letters under
their own Acts, provisions relied on told from those only mentioned, an NCND
harm explanation counted as reasons. Letters of our own writing."""
import pytest

from assistant.reason.act import REGISTRY, parse_citations
from assistant.reason.explain import analyse_letter, request_gist

TAIL = ("\n\nIf you are unhappy with this response you may ask for an internal review within 40 working days, "
        "and then complain to the Information Commissioner.\n")


@pytest.mark.parametrize("phrase", [
    "Northshire Police neither confirms nor denies that it holds the information you requested",
    "The force will neither confirm nor deny whether any such information is held",
    "We cannot confirm or deny whether we hold this information",
    "The Trust is not able to confirm or deny that it holds information of this kind",
    "Our response is NCND",
    "The council is unable to confirm or deny whether information is held",
])
def test_ncnd_in_every_common_phrasing(phrase):
    letter = (f"Dear requester,\n\n{phrase}, by virtue of section 31(3) of the Freedom of Information Act 2000, "
              "because confirming or denying would reveal whether the tactic is used in this area." + TAIL)
    f = analyse_letter(letter)
    assert f.ncnd is True
    s31 = next(p for p in f.provisions if p.section == "s31(3)")
    assert s31.ncnd is True
    checks = {c.id: c for c in f.checks}
    assert checks["reasons_given"].ok             # the harm of confirming or denying is the reason


def test_partial_ncnd_not_held_for_part():
    letter = ("Dear requester,\n\nThe force does not use live facial recognition, so no information is held about "
              "overt deployments. For any covert use, the force neither confirms nor denies that it holds information, "
              "relying on sections 24(2) and 31(3), because confirming or denying could be used to map capability "
              "across forces. The public interest favours neither confirming nor denying." + TAIL)
    f = analyse_letter(letter)
    assert f.ncnd and f.not_held
    assert {p.section for p in f.provisions} == {"s24(2)", "s31(3)"}


def test_a_scottish_letter_is_read_under_foisa():
    letter = ("The Scottish Government\n\n12 March 2025\n\nYour request under the Freedom of Information (Scotland) "
              "Act 2002 (FOISA)\n\nWe are withholding the draft advice to ministers under section 30(b)(i) of FOISA, "
              "because disclosure would substantially inhibit the free and frank provision of advice, and the names "
              "of junior officials under section 38(1)(b). We have considered the public interest.\n\nIf you are "
              "unhappy you may ask us to review our decision within 40 working days, and then apply to the "
              "Scottish Information Commissioner.\n")
    f = analyse_letter(letter)
    assert f.regime == "foisa"
    assert {p.section for p in f.provisions} == {"foisa:s30(b)(i)", "foisa:s38(1)(b)"}
    assert all(REGISTRY.get(p.section).act == "foisa" for p in f.provisions)      # never FOIA's s30 or s38
    assert [s.topic for s in f.next_steps] == ["foisa-review", "foisa-sic", "foisa-appeal"]
    checks = {c.id: c for c in f.checks}
    assert checks["ico_right_stated"].ok and "Scottish Information Commissioner" in checks["ico_right_stated"].message
    assert checks["provisions_exist"].ok


def test_an_eir_letter_reads_bare_regulation_numbers_as_eir_exceptions():
    letter = ("Dear requester,\n\nYour request has been handled under the Environmental Information Regulations "
              "2004 (EIR). The viability assessment is withheld under the exception at 12(5)(e) (commercial "
              "confidentiality) and the officers' notes under Regulation 12(4)(e). Some material is also exempt "
              "under s.12(5)(d). We have applied the public interest test with a presumption in favour of disclosure."
              + TAIL)
    f = analyse_letter(letter)
    assert f.regime == "eir"
    found = {p.section for p in f.provisions}
    assert {"reg12(5)(e)", "reg12(4)(e)", "reg12(5)(d)"} <= found
    assert not any(s.startswith("s12") for s in found)
    assert [s.topic for s in f.next_steps][0] == "eir-review"


def test_provisions_only_mentioned_are_not_relied_on():
    letter = ("Dear requester,\n\nWe estimate that complying with your request would exceed the appropriate limit, "
              "so we are refusing it under section 12(1). Section 17(5) of the Act states that an authority relying "
              "on a claim that section 12 or section 14 applies must give the applicant a notice stating that fact. "
              "For information, a previous request on this subject was closed under section 40(2)." + TAIL)
    f = analyse_letter(letter)
    assert [p.section for p in f.provisions] == ["s12(1)"]
    assert "s14" in f.mentioned and "s40(2)" in f.mentioned


def test_a_paragraph_list_of_subsections_gives_each_and_no_bare_one():
    assert parse_citations("Section 30(1)(a)(b)(c)") == ["s30(1)(a)", "s30(1)(b)", "s30(1)(c)"]
    assert parse_citations("exception 12(5)(d)", regime="eir") == ["reg12(5)(d)"]
    assert parse_citations("section 38(1)(b)", regime="foisa") == ["foisa:s38(1)(b)"]


def test_a_foisa_letter_is_explained_under_foisa(corpus_engine):
    letter = ("Police Scotland\n\nYour request under the Freedom of Information (Scotland) Act 2002\n\n"
              "Police Scotland neither confirms nor denies whether it holds the information, under section 18 "
              "of FOISA, read with section 35(1)(a) (law enforcement), because confirming or denying would "
              "prejudice substantially the prevention or detection of crime. The public interest does not favour "
              "confirming or denying.\n\nYou may ask for a review, and then apply to the Scottish Information "
              "Commissioner.\n")
    out = corpus_engine.explain(letter).to_json()
    assert out["regime"] == "foisa"
    assert {s["section"] for s in out["sections"]} >= {"foisa:s35(1)(a)"}
    assert not any(s["section"].startswith("s35") for s in out["sections"])
    assert "Scottish Information Commissioner" in " ".join(s["step"] for s in out["next_steps"])
    assert any("Freedom of Information (Scotland) Act" in n for n in out["notes"])


def test_the_query_for_similar_decisions_is_what_was_asked_for():
    letter = ("FOI 20-7\n\nDear requester,\n\nWe received your request on 3 May 2020.\n\nYour request was as follows:\n\n"
              "> How many firearms certificates were revoked between 2016 and 2019?\n\nThe figures are withheld under "
              "section 31(1)(a) because disclosure would be likely to prejudice the prevention of crime." + TAIL)
    gist = request_gist(letter, 600)
    assert "firearms certificates were revoked" in gist and "section 31(1)(a)" in gist
    assert "internal review" not in gist and "Dear" not in gist
    assert len(request_gist("x " * 1000, 600)) == 600
