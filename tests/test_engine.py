"""The answer engine end to end on the real index, with no LLM."""
import re

from assistant.reason.act import invalid_citations, family
from assistant.reason.checks import check_response
from assistant.retrieve import Filters

SEED_REQUEST = ("The number of operations where live facial-recognition technology was used, the date, approximate "
                "times and location of each deployment, and the number of people's faces scanned and stored during "
                "each deployment, for the past 10 years.")
SEED_OWN = Filters(exclude_doc_ids=frozenset({"precedent:syp-live-facial-recognition-23-009862"}))


def assert_grounded(result: dict, text: str):
    assert result["citations"], "no citations"
    assert all(c["verified"] for c in result["citations"])
    ns = {c["n"] for c in result["citations"]}
    assert set(int(n) for n in re.findall(r"\[(\d+)\]", text)) <= ns
    assert invalid_citations(text) == []


def test_explain_seed(corpus_engine, seed_letter):
    out = corpus_engine.explain(seed_letter).to_json()
    by = {s["section"]: s for s in out["sections"]}
    assert {"s24(2)", "s31(3)"} <= set(by)
    for s in ("s24(2)", "s31(3)"):
        assert by[s]["absolute"] is False and by[s]["ncnd"] is True and by[s]["citations"]
        assert "qualified" in by[s]["explanation"]
    assert out["ncnd"] is True
    checks = {c["id"]: c for c in out["checks"]}
    assert checks["public_interest"]["ok"]
    assert not checks["internal_review_stated"]["ok"] and not checks["ico_right_stated"]["ok"]
    assert [s["step"] for s in out["next_steps"]][0].startswith("Ask the authority for an internal review")
    assert out["next_steps"][0]["deadline"]
    assert "internal review" in out["letter"].lower() and "Information Commissioner" in out["letter"] or "review" in out["letter"]
    assert_grounded(out, out["answer"])


CONTRACT_LETTER = """Dear Requester,

Thank you for your request of 3 March 2025, in which you asked for the pricing schedule and the tender evaluation
scores for the council's waste collection contract with its current supplier.

The pricing schedule is withheld under section 43(2) of the Freedom of Information Act 2000, because disclosure would
be likely to prejudice the commercial interests of the supplier and of the council in the forthcoming re-tender. We
have considered the public interest and decided to withhold.

If you are unhappy with this response you may ask for an internal review within 40 working days, and then complain
to the Information Commissioner.
"""


def test_explain_shows_what_the_commissioner_decided_in_similar_cases(corpus_engine):
    """A requester sees, for the exemption the letter relies on, the ICO and Tribunal decisions
    about it in the nearest past cases: how many upheld, how many ordered disclosure, with links."""
    out = corpus_engine.explain(CONTRACT_LETTER).to_json()
    by = {p["family"]: p for p in out["precedents"]}
    assert "s43" in by, out["precedents"]
    s43 = by["s43"]
    assert s43["cases"] and "similar cases" in s43["summary"]
    counts = [int(n) for n in re.findall(r"\b(\d+)\b", s43["summary"])]
    assert counts[0] == len(s43["cases"]) == sum(counts[-3:])     # n similar cases; upheld, ordered, in part
    assert all(c["finding"] in ("upheld", "not_upheld", "partly") and c["url"].startswith("http") for c in s43["cases"])
    assert re.search(r"\[\d+\]", s43["cite"])


def test_draft_seed_request(corpus_engine):
    d = corpus_engine.draft(SEED_REQUEST, authority="South Yorkshire Police", filters=SEED_OWN)
    out = d.to_json()
    top = {family(s["section"]) for s in out["suggestions"][:4]}
    assert {"s24", "s31"} <= top, top
    # NCND under s24(2) and s31(3): called, or (below the model's cut-off) offered with its probability
    ncnd = set(out["ncnd_sections"]) if out["ncnd"] else set(out["ncnd_consider"])
    assert ncnd >= {"s24(2)", "s31(3)"}, (out["ncnd"], out["ncnd_score"], out["ncnd_sections"], out["ncnd_consider"])
    assert out["ncnd_reasons"]
    checks = {c["id"]: c for c in out["checks"]}
    if out["ncnd"]:
        assert checks["ncnd_leak"]["ok"], checks["ncnd_leak"]["message"]
    assert all(c["ok"] for c in out["checks"]), [c for c in out["checks"] if not c["ok"]]
    assert "Public interest test" in out["draft"]
    assert_grounded(out, out["draft"])
    for s in out["suggestions"]:
        assert s["reasons"] and 0 <= s["score"] <= 1
    assert len(out["ranking"]) == 5 and all(0 <= r["probability"] <= 1 for r in out["ranking"])
    assert out["consistency"]["summary"] and out["consistency"]["cases"]


def test_draft_cost_limit_request(corpus_engine):
    d = corpus_engine.draft("Please send me all emails sent by every member of staff that mention parking since 2005.").to_json()
    assert family(d["suggestions"][0]["section"]) in {"s12", "s14", "s40"}
    assert invalid_citations(d["draft"]) == []


def test_drafts_pass_their_own_checks(corpus_engine):
    for request in ["Copies of the legal advice the council received about the new leisure centre contract.",
                    "Whether a named officer, PC Smith, was disciplined for misconduct last year.",
                    "The prices each supplier bid in the tender for the hospital cleaning contract."]:
        out = corpus_engine.draft(request).to_json()
        assert all(c["ok"] for c in out["checks"]), (request, [c for c in out["checks"] if not c["ok"]])
        assert_grounded(out, out["draft"])


def test_environmental_and_scottish_requests_are_flagged(corpus_engine):
    out = corpus_engine.draft("Air quality monitoring results near the incinerator for 2023.").to_json()
    assert any("Environmental Information Regulations" in n for n in out["notes"])
    out = corpus_engine.draft("Number of stop and search incidents in Glasgow.", authority="Police Scotland").to_json()
    assert any("Scotland" in n for n in out["notes"])


def test_the_eirs_exceptions_are_offered_only_for_environmental_requests(corpus_engine):
    pay = corpus_engine.draft("The salaries, bonuses and expenses of the council's five most senior officers.").to_json()
    assert not [r for r in pay["ranking"] + pay["suggestions"] if r.get("section", "").startswith("reg")], pay["ranking"]
    air = corpus_engine.draft("Air quality and noise monitoring results near the incinerator, and the emissions "
                              "permit conditions, for 2023.").to_json()
    assert any(r["section"].startswith("reg") for r in air["ranking"]), air["ranking"]


def test_ask_gives_the_facts_of_every_provision_named(corpus_engine):
    a = corpus_engine.ask("We are withholding parts of an incident log under s31(1)(a) and officers' names under "
                          "s40(2). Do we need a public interest test for both?", mode="officer").to_json()
    assert re.search(r"31\(1\)\(a\)[^.]*qualified exemption", a["answer"]), a["answer"]
    assert re.search(r"40\(2\)[^.]*absolute exemption", a["answer"]), a["answer"]
    assert_grounded(a, a["answer"])
    # a qualified exemption that is absolute for some holders says so (s36 for the Houses of Parliament)
    a = corpus_engine.ask("The House of Commons refused my request under section 36(2)(b)(ii). Is there a public "
                          "interest test?").to_json()
    assert re.search(r"36\(2\)\(b\)\(ii\)[^.]*qualified exemption[^.]*absolute for information held by the "
                     r"House of Commons or the House of Lords", a["answer"]), a["answer"]


def test_ask_questions(corpus_engine):
    a = corpus_engine.ask("what does section 31(3) mean?").to_json()
    assert "31(3)" in a["answer"] and "neither" in a["answer"].lower()
    assert_grounded(a, a["answer"])
    a = corpus_engine.ask("how long do they have to do an internal review?").to_json()
    assert "20 working days" in a["answer"] or "40" in a["answer"]
    assert_grounded(a, a["answer"])


def test_ask_follow_up_keeps_context(corpus_engine):
    first = corpus_engine.ask("what is the cost limit for a council?")
    history = [{"role": "user", "content": "what is the cost limit for a council?"},
               {"role": "assistant", "content": first.answer}]
    follow = corpus_engine.ask("and how many hours is that?", history=history).to_json()
    assert "18" in follow["answer"] or "£450" in follow["answer"]


def test_ask_about_a_section_that_does_not_exist(corpus_engine):
    a = corpus_engine.ask("what does section 31(5) say?").to_json()
    assert "does not exist" in a["answer"]


def test_check_draft_on_edited_text(corpus_engine):
    d = corpus_engine.draft(SEED_REQUEST, filters=SEED_OWN)
    edited = d.draft + "\n\nFor your information, we hold 3 records of deployments in 2022.\n"
    checks = {c.id: c for c in check_response(edited, ncnd=True)}
    assert not checks["ncnd_leak"].ok
