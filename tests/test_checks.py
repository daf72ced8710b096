"""The s17 and NCND checks, each with a planted defect."""
from datetime import date

from assistant.reason.checks import check_response, leaks
from assistant.reason.dates import add_working_days, bank_holidays, working_days_between
from assistant.reason.explain import analyse_letter

RIGHTS = ("If you are unhappy you may ask for an internal review. If you remain dissatisfied you may complain "
          "to the Information Commissioner under section 50.")


def failed(checks):
    return {c.id for c in checks if not c.ok}


def test_good_qualified_refusal_passes():
    text = ("We withhold the report under section 43(2) because disclosure would be likely to prejudice the "
            "supplier's commercial interests. Section 43 is a qualified exemption, so we considered the public "
            "interest: factors for disclosure include transparency; factors against include fair competition. "
            "The balance favours withholding. " + RIGHTS)
    assert failed(check_response(text)) == set()


def test_letter_missing_rights():
    text = "We withhold the report under section 43(2) because disclosure would prejudice commercial interests. The public interest favours withholding."
    assert {"internal_review_stated", "ico_right_stated"} <= failed(check_response(text))


def test_ncnd_under_s21_is_flagged():
    text = "We can neither confirm nor deny whether we hold this information, by virtue of section 21(1). " + RIGHTS
    checks = {c.id: c for c in check_response(text)}
    assert not checks["ncnd_provisions"].ok
    assert "no neither-confirm-nor-deny provision" in checks["ncnd_provisions"].message


def test_ncnd_under_wrong_subsection_is_flagged():
    text = "We neither confirm nor deny holding information under section 31(1)(a); harm would follow. The public interest favours this. " + RIGHTS
    checks = {c.id: c for c in check_response(text)}
    assert not checks["ncnd_provisions"].ok and "s31(3)" in checks["ncnd_provisions"].message


def test_qualified_exemption_without_test():
    text = "We withhold the information under section 31(1)(a) because disclosure would prejudice the prevention of crime. " + RIGHTS
    assert "public_interest" in failed(check_response(text))


def test_absolute_exemption_given_a_needless_test():
    text = ("We withhold the names under section 40(2) because disclosure would breach the data protection principles. "
            "Section 40 is a qualified exemption and we have carried out a public interest test. " + RIGHTS)
    checks = {c.id: c for c in check_response(text)}
    assert not checks["absolute_qualified"].ok and "absolute" in checks["absolute_qualified"].message


def test_provision_that_does_not_exist():
    text = "We rely on section 31(5) to withhold this because of harm. The public interest favours withholding. " + RIGHTS
    assert "provisions_exist" in failed(check_response(text))


def test_leaking_ncnd_draft_is_flagged():
    text = ("We can neither confirm nor deny whether we hold information, relying on section 24(2) and section 31(3). "
            "We hold 4 records of the operation, which took place in 2021. Harm would follow. "
            "The public interest favours neither confirming nor denying. " + RIGHTS)
    checks = {c.id: c for c in check_response(text)}
    assert not checks["ncnd_leak"].ok
    assert "We hold 4 records" in checks["ncnd_leak"].message


def test_ncnd_boilerplate_does_not_leak():
    text = ("Confirming or denying whether any information is held would reveal tactics. "
            "We will neither confirm nor deny whether information is or is not held.")
    assert leaks(text) == []


def test_no_records_exist_is_a_leak():
    assert leaks("No records of the operation exist.") and leaks("There were 12 deployments in 2022.")


def test_late_response():
    text = "Your request was received on 2 January 2024. We withhold it under section 21 as it is on our website. " + RIGHTS
    f = analyse_letter("14 March 2024\n\n" + text)
    late = [c for c in f.checks if c.id == "timeliness"]
    assert late and not late[0].ok and "working days" in late[0].message


def test_working_days():
    assert date(2023, 5, 8) in bank_holidays(2023)          # coronation
    assert add_working_days(date(2023, 6, 26), 20) == date(2023, 7, 24)
    assert working_days_between(date(2024, 12, 20), date(2024, 12, 31)) == 5   # 23, 24, 27, 30, 31


def test_seed_letter_findings(seed_letter):
    f = analyse_letter(seed_letter)
    cited = {p.section: p for p in f.provisions}
    assert {"s24(2)", "s31(3)"} <= set(cited)
    assert all(cited[s].absolute is False and cited[s].ncnd for s in ("s24(2)", "s31(3)"))
    checks = {c.id: c for c in f.checks}
    assert checks["public_interest"].ok
    assert not checks["internal_review_stated"].ok and not checks["ico_right_stated"].ok
    assert checks["ncnd_leak"].ok
