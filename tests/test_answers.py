"""The answer base passes its checker, and `ask` leads with the matched answer,
follows a conversation, says plainly when nothing fits, and answers an officer
in an officer's words. Questions written here, not the held-out set's."""
import subprocess
import sys

from assistant.answers.base import load
from assistant.config import REPO_ROOT


def test_the_answer_base_passes_its_checker():
    answers, errors = load(REPO_ROOT / "corpus" / "answers", REPO_ROOT / "corpus")
    assert not errors, errors[:10]
    assert len(answers) >= 200
    topics = {a.topic for a in answers}
    assert len(topics) >= 25
    p = subprocess.run([sys.executable, "-m", "assistant.answers", "check", "--quiet"], capture_output=True, text=True,
                       cwd=REPO_ROOT)
    assert p.returncode == 0 and "0 problems" in p.stdout, p.stdout + p.stderr


def test_ask_leads_with_the_direct_answer(corpus_engine):
    out = corpus_engine.ask("my council hasn't replied to my FOI request, how long are they allowed to take?").to_json()
    assert out["topic"] and out["topic"]["id"].startswith("time-limit")
    first = out["answer"].split("\n\n")[0]
    assert "20 working days" in first                    # the answer first, not "What the sources say"
    assert "What to do next" in out["answer"]
    assert out["citations"] and all(c["verified"] for c in out["citations"])


def test_a_follow_up_is_answered_in_context(corpus_engine):
    q1 = "what is the cost limit for an FOI request to a council?"
    first = corpus_engine.ask(q1)
    history = [{"role": "user", "content": q1},
               {"role": "assistant", "content": first.answer, "answer_id": first.topic["id"]}]
    follow = corpus_engine.ask("and can they add up several of my requests?", history=history).to_json()
    assert follow["topic"]["id"] == "cost-limit-aggregation", follow["topic"]


def test_nothing_fits_is_said_plainly(corpus_engine):
    out = corpus_engine.ask("what is the best recipe for sourdough bread?").to_json()
    assert out["topic"] is None and "no reviewed answer" in out["answer"]


def test_officer_and_requester_phrasing_differ(corpus_engine):
    q = "is it ok to refuse the chief executive's expenses as personal data?"
    requester = corpus_engine.ask(q, mode="requester").to_json()
    officer = corpus_engine.ask(q, mode="officer").to_json()
    assert requester["topic"]["id"] == officer["topic"]["id"]
    assert requester["answer"] != officer["answer"]


def test_a_question_naming_a_provision_gets_the_registrys_facts(corpus_engine):
    out = corpus_engine.ask("what does section 40(5B) mean for me?").to_json()
    assert "neither-confirm-nor-deny provision" in out["answer"] and "40(5B)" in out["answer"]
    out = corpus_engine.ask("what does section 31(5) say?").to_json()
    assert out["answer"].startswith("Section 31(5) does not exist")


def test_a_question_naming_one_exemption_is_not_matched_to_a_phrasing_about_another(corpus_engine):
    """'Is there a PIT for section 14?' reads almost like 'Is there a PIT for section 44?'; the
    number decides."""
    out = corpus_engine.ask("They refused under section 14, is there a public interest test?").to_json()
    assert "vexatious" in out["topic"]["id"], out["topic"]


def test_exemptions_merged_by_a_foisa_counterpart_are_still_told_apart(corpus_engine):
    """FOIA s41 and s42 both map to FOISA s36: a question about one must not reach the other's answer
    through their shared counterpart; a Scottish question about FOISA s36 may reach either; and a
    FOISA exemption named in a question about which regime applies does not rule out the EISRs."""
    from assistant.answers.match import _by_domain, _misnamed

    s41 = _by_domain({"s41", "foisa:s36"})
    assert _misnamed(s41, _by_domain({"s42"}), environmental=False) == 1.0
    assert _misnamed(s41, _by_domain({"foisa:s36"}), environmental=False) == 0.0
    assert _misnamed(_by_domain({"eisr:reg10"}), _by_domain({"foisa:s33"}), environmental=True) == 0.0
    assert _misnamed(_by_domain({"reg12"}), _by_domain({"s43"}), environmental=False) == 0.5
    for section in ("41", "42"):
        out = corpus_engine.ask(f"Is there a public interest test for section {section}?").to_json()
        assert f"s{section}" in out["topic"]["id"], out["topic"]


def test_a_question_in_parts_gets_an_answer_for_each_part(corpus_engine):
    """An officer's request in lettered parts about different things: the best answer for the
    whole comes first and the other part's own answer beside it."""
    from assistant.answers.match import question_parts

    q = ("Council FOI team. Request for (a) the chief executive's salary and expenses claims for 2025 and "
         "(b) the locations of our CCTV cameras in the town centre. How do we answer each part?")
    assert len(question_parts(q)) == 2
    assert len(question_parts("Can they charge me? And separately, how long do they have to reply?")) == 2
    assert question_parts("is that right? feels like a stretch") == []
    out = corpus_engine.ask(q, mode="officer").to_json()
    topics = {out["topic"]["id"], out["topic"]["also"] or ""}
    assert any("expenses" in t or "salar" in t for t in topics) and any("cctv" in t for t in topics), topics


def test_a_question_from_scotland_is_answered_under_foisa(corpus_engine):
    """A requester who names a Scottish council (not the Act) is sent to the Scottish
    Information Commissioner, not the UK ICO."""
    out = corpus_engine.ask("Glasgow City Council turned down my request and the review said the same. "
                            "Who do I complain to now?").to_json()
    assert out["topic"]["id"].startswith(("foisa", "scottish")), out["topic"]
    assert "Scottish Information Commissioner" in out["answer"]


def test_a_conversation_about_a_scottish_authority_stays_under_foisa(corpus_engine):
    """A follow-up that does not name the authority again is still about the Scottish one: what
    FOISA changes comes first and the route is the Scottish Commissioner's, never the UK ICO's."""
    history = [{"role": "user", "content": "I sent an FOI request to Dundee City Council three weeks ago."},
               {"role": "assistant", "content": "Scottish authorities must answer within 20 working days."}]
    out = corpus_engine.ask("now they say they are extending the deadline to consider the public interest. "
                            "is that allowed?", history=history).to_json()
    first = out["answer"].split("\n\n")[0]
    assert "Freedom of Information (Scotland) Act" in first and "no extension" in first, first
    step = out["answer"].split("What to do next:")[-1]
    assert "Scottish Information Commissioner" in step and "ICO" not in step, step
    assert out["citations"] and all(c["verified"] for c in out["citations"])


def test_a_foia_answer_given_for_a_scottish_authority_gives_foisas_section_numbers(corpus_engine):
    """An answer written for FOIA names FOIA's sections; for a Scottish authority the note
    before it gives FOISA's counterparts from the registry, and every provision in the reply,
    read with the Act it is labelled with, exists."""
    from assistant.reason.act import invalid_citations, parse_citations

    out = corpus_engine.ask("A Scottish council refused my request for the chief executive's expenses, "
                            "saying it was personal data. Is that right?").to_json()
    first = out["answer"].split("\n\n")[0]
    assert "FOISA section 38(1)(b) for section 40(2)" in first, first
    assert "foisa:s38(1)(b)" in parse_citations(first)
    assert "What can change this" in out["answer"]
    conditions = out["answer"].split("What can change this")[-1].split("What to do next")[0]
    assert "ICO" not in conditions and "Tribunal" not in conditions, conditions
    assert not invalid_citations(out["answer"]), invalid_citations(out["answer"])


def test_a_foia_section_named_in_a_scottish_question_is_read_as_foias(corpus_engine):
    """'In England I'd use s40(5B)': FOISA has no section 40(5B), FOIA has; the reply gives FOIA's
    facts and FOISA's counterpart, never 'does not exist'."""
    out = corpus_engine.ask("Police Scotland FOI. Asked whether a named inspector was investigated for misconduct. "
                            "In England I'd have used s40(5B). What's the FOISA way?", mode="officer").to_json()
    assert "does not exist" not in out["answer"]
    assert "counterpart is section 18(1) of FOISA" in out["answer"], out["answer"]


def test_a_conversation_moves_to_another_nation_only_when_the_question_says_so():
    from assistant.answers.match import scottish_conversation

    before = "I asked NHS Grampian for its waiting times a month ago."
    for same in ("so who do I complain to?", "is there a tribunal like in England?", "can they do that like English ones can?"):
        assert scottish_conversation(same, before), same
    for other in ("what about in England?", "and if I asked the DWP instead?", "what if it was an English council?"):
        assert not scottish_conversation(other, before), other


def test_the_second_answer_shown_is_for_the_right_nation(corpus_engine):
    """Beside the answer, a second one about the other nation's route misleads: an English
    requester is not sent to the Scottish Commissioner, a Scottish one not to the ICO."""
    follow = "did that 5 weeks ago and heard nothing back. can i go to the ICO now or do i have to keep waiting?"
    english = [{"role": "user", "content": "Kent Police refused my FOI about stop and search figures. what now?"},
               {"role": "assistant", "content": "Ask for an internal review."}]
    out = corpus_engine.ask(follow, history=english).to_json()
    also = [p for p in out["answer"].split("\n\n") if p.startswith("**Also:")]
    assert not any("Scottish" in p for p in also), also
    scottish = [{"role": "user", "content": "Police Scotland refused my FOI about stop and search figures in Dundee."},
                {"role": "assistant", "content": "Ask for a review within 40 working days."}]
    out = corpus_engine.ask(follow, history=scottish).to_json()
    assert "Scottish Information Commissioner" in out["answer"]
    also = [p for p in out["answer"].split("\n\n") if p.startswith("**Also:")]
    assert not any("ICO" in p or "Tribunal" in p for p in also), also


def test_a_scot_asking_a_uk_wide_body_is_under_foia(corpus_engine):
    from assistant.answers.match import is_scottish

    assert not is_scottish("I live in Glasgow and want to ask the DWP how many PIP reviews were overturned")
    assert is_scottish("Glasgow City Council refused my request") and is_scottish("Police Scotland said no")
    # a place that is only Scottish says Scotland too
    assert is_scottish("my dad died in a hospital in Ayrshire and the health board won't give me his notes")
    assert is_scottish("the health board in Fife refused my request") and not is_scottish("I asked the council in Perth")
    assert not is_scottish("I live in Lanarkshire and asked HMRC for its figures")
    out = corpus_engine.ask("I live in Edinburgh. Can I send an FOI request to HMRC, and who do I complain "
                            "to if they refuse?").to_json()
    assert "This is about a Scottish public authority" not in out["answer"]


def test_the_answer_embeddings_cache_keeps_only_the_current_answer_base(tmp_path, embedder):
    """The phrasings' embeddings are cached by their text; a changed answer base replaces the
    old file instead of leaving one behind per version."""
    from dataclasses import replace

    from assistant.answers.match import Matcher

    answers, _ = load(REPO_ROOT / "corpus" / "answers", REPO_ROOT / "corpus")
    Matcher(answers[:5], embedder, cache_dir=tmp_path)
    first = sorted(tmp_path.glob("answers-*.npy"))
    changed = [replace(answers[0], questions=(*answers[0].questions, "a phrasing added later")), *answers[1:5]]
    m = Matcher(changed, embedder, cache_dir=tmp_path)
    now = sorted(tmp_path.glob("answers-*.npy"))
    assert len(first) == 1 and len(now) == 1 and now != first
    assert m.vectors.shape == (len(m.phrasings), embedder.dim)


def test_a_question_naming_a_kind_of_body_says_where_it_stands(corpus_engine):
    # prompts/bodies.yaml: a parish council's clerk asking about a deadline is told the council is covered
    out = corpus_engine.ask("I'm the clerk of a small parish council. We got our first FOI request on Monday, "
                            "when is the deadline?", mode="officer").to_json()
    assert "**Parish and town councils:**" in out["answer"] and "£450" in out["answer"]
    assert out["citations"] and all(c["verified"] for c in out["citations"])
    # not for a Scottish body (FOISA's coverage differs), and not where the answer already says it
    scot = corpus_engine.ask("Our community council in Fife got an FOI request. When is the deadline?",
                             mode="officer").to_json()
    assert "**Parish and town councils:**" not in scot["answer"]
    owned = corpus_engine.ask("Is a company wholly owned by the council covered by FOI?").to_json()
    assert "wholly owned" in owned["answer"].lower() and "**Arm's-length" not in owned["answer"]


def test_an_environmental_question_answered_under_foia_is_told_what_the_eir_change(corpus_engine):
    # prompts/next_steps.yaml environmental_answer: the matched answer is written under FOIA and says nothing of the EIR
    out = corpus_engine.ask("Can the council refuse to tell me which officers dealt with the fly-tipping complaints?").to_json()
    assert "**If the information is environmental:**" in out["answer"] and "regulation 13" in out["answer"]
    assert all(c["verified"] for c in out["citations"])
    # not when the answer is already about the EIR
    oral = corpus_engine.ask("The council says my request for the sewage overflow reports has to be in writing. "
                             "Is that right?").to_json()
    assert "**If the information is environmental:**" not in oral["answer"]


def test_an_eir_exception_named_gets_its_own_answer_not_another_exceptions(corpus_engine):
    """Every EIR exception is in regulation 12: 'regulation 12(5)(b)' (course of justice) must not
    reach a phrasing about 'regulation 12(5)(e)' (commercial confidentiality) by their shared number."""
    from assistant.answers.match import ground

    assert ground("reg12(5)(b)") == "reg12(5)(b)" and ground("eisr:reg10(4)(a)") == "eisr:reg10(4)(a)"
    assert ground("s40(2)") == "s40" and ground("reg12(6)") == "reg12"
    out = corpus_engine.ask("The council is withholding the legal advice it got about the new incinerator under "
                            "regulation 12(5)(b). Can it do that?").to_json()
    assert "12-5-b" in out["topic"]["id"], out["topic"]
    for q, topic in (("Refused under reg 12(5)(b) - what does that cover?", "12-5-b"),
                     ("whats 12(4)(c) mean", "12-4-c")):                 # as people type it, bare or not
        out = corpus_engine.ask(q).to_json()
        assert topic in out["topic"]["id"], (q, out["topic"])


def test_a_bare_number_only_the_eir_have_is_read_as_the_eir_exception():
    from assistant.reason.act import provisions_named

    assert provisions_named("whats 12(4)(c) mean") == ["reg12(4)(c)"]
    assert provisions_named("refused under 12(5)(e) and s12(4)") == ["s12(4)", "reg12(5)(e)"]
    assert provisions_named("they said 12(4)(b)") == []          # FOIA has a s12(4)(b) too: not guessed
    assert provisions_named("section 12(5)(b)") == ["s12(5)(b)"]  # written as a section: FOIA's, which does not exist


def test_environmental_words_are_read_as_words():
    """'street' is not about trees, nor 'a waste of money' about waste."""
    from assistant.answers.match import ENVIRONMENTAL

    assert not ENVIRONMENTAL.search("how many parking fines on my street? a waste of money")
    assert ENVIRONMENTAL.search("the tree survey for the park") and ENVIRONMENTAL.search("household waste collections")


def test_a_foia_provision_has_its_eir_counterpart_in_the_registry():
    """act.yaml `eir:` beside `foisa:`: the EIR provision that does a FOIA one's work, every one real."""
    from assistant.reason.act import REGISTRY

    assert REGISTRY.eir_counterpart("s43(2)") == "reg12(5)(e)"
    assert REGISTRY.eir_counterpart("s10(3)") == "reg7(1)" and REGISTRY.eir_counterpart("s10(1)") == "reg5(2)"
    assert REGISTRY.eir_counterpart("s44(1)(a)") == "reg5(6)"       # statutory bars do not apply
    assert REGISTRY.eir_counterpart("s1(1)") is None and REGISTRY.eir_counterpart("reg12(5)(e)") is None
    assert REGISTRY.foisa_counterpart("s43(2)") == "foisa:s33(1)"    # unchanged by the refactor
    for prov in REGISTRY.provisions.values():
        for _, target in prov.eir:
            assert REGISTRY.exists(target), (prov.key, target)


def test_an_environmental_question_naming_a_foia_section_reaches_the_eir_answer(corpus_engine):
    """'we'd use s44, same under the EIR?' about water sampling data: regulation 5(6), not section 44."""
    out = corpus_engine.ask("water quality sampling data. an old act says info obtained under it cant be disclosed "
                            "without consent. under FOI we'd use s44. same under EIR?", mode="officer").to_json()
    assert out["topic"]["id"] == "eir-statutory-bars-reg-5-6", out["topic"]
    assert "5(6)" in out["answer"] and all(c["verified"] for c in out["citations"])


def test_what_a_question_asks_after_setting_the_scene_gets_its_own_answer(corpus_engine):
    """'... using s31(1)(a). What has to be in the refusal notice?': the scene reaches the s31 answer,
    the asking reaches the refusal notice's contents, and both are shown."""
    from assistant.answers.match import asked_part

    assert asked_part("Request for CCTV van locations, using s31. What has to be in the refusal notice?") == \
        "What has to be in the refusal notice?"
    assert asked_part("is that right?") == "" and asked_part("can we refuse? it is about CCTV") == ""
    assert asked_part("They refused it. Is that right?") == ""         # too few words to stand alone
    out = corpus_engine.ask("drafting a refusal for a police force, request was for exact locations of our mobile "
                            "CCTV vans, using s31(1)(a). what actually has to be in the refusal notice?",
                            mode="officer").to_json()
    topics = {out["topic"]["id"], out["topic"]["also"] or ""}
    assert any("refusal-notice" in t for t in topics) and any(t.startswith("s31") for t in topics), topics


def test_scot_gov_is_scottish_and_embarrassment_is_no_public_interest_factor(corpus_engine):
    from assistant.answers.match import is_scottish

    assert is_scottish("scot gov official here, can we use s30(b)?")
    out = corpus_engine.ask("request for the internal audit report on our failed IT project. it makes the chief exec "
                            "look terrible and the requester is a journalist. can we factor that into the PIT under "
                            "s36?", mode="officer").to_json()
    assert "embarrassment" in out["answer"].lower() and "to the world" in out["answer"]
    assert all(c["verified"] for c in out["citations"])
