"""Personal data redaction (assistant/ingest/redact.py): names, email addresses,
phone numbers, postcodes and postal addresses replaced by typed placeholders;
public bodies, job titles, provisions, references and dates kept. Letters of
our own writing; the people, streets and numbers are made up (01632 960xxx and
07700 900xxx are Ofcom's ranges for drama)."""
import time

import pytest

from assistant.ingest.redact import PLACEHOLDERS, TYPES, Redaction, Span, redact

REFUSAL = """Example Constabulary
Information Management Unit
Police Headquarters
1 Station Road
Exampletown
EX1 1AA

Ms Priya Patel
Flat 3, 21 Acacia Avenue
Exampletown
Exampleshire
EX4 7QT

Our ref: FOI-2025-0142
Date: 3 July 2025

Dear Ms Patel

Freedom of Information Act 2000 - Request reference FOI-2025-0142

Thank you for your request of 5 June 2025, received by Example Constabulary on 6 June 2025, in which you
asked for the number of covert surveillance operations in Exampletown since 2020.

Example Constabulary can neither confirm nor deny whether it holds the information you requested, by virtue
of section 24(2) (national security) and section 31(3) (law enforcement). Your request was passed to
Sarah Jones in the Information Management Unit, who consulted DS Mark Hughes of the Professional Standards
Department.

If you are unhappy with this response you may ask for an internal review within 40 working days, quoting
FOI 2025 0142, and then complain to the Information Commissioner.

Yours sincerely

Sam Okafor
Information Rights Officer
Information Management Unit
Example Constabulary
Email: sam.okafor@example.police.uk
Tel: 01632 960 123
"""

PERSONAL = ["Priya", "Patel", "Sarah Jones", "Mark Hughes", "Sam Okafor", "Okafor",
            "sam.okafor@example.police.uk", "01632 960 123", "21 Acacia Avenue", "Flat 3", "EX4 7QT"]
KEPT = ["Example Constabulary", "Information Management Unit", "Information Rights Officer", "section 24(2)",
        "section 31(3)", "Our ref: FOI-2025-0142", "Request reference FOI-2025-0142", "FOI 2025 0142",
        "Date: 3 July 2025", "5 June 2025", "6 June 2025", "Professional Standards\nDepartment",
        "Freedom of Information Act 2000", "Information Commissioner", "Exampletown since 2020",
        "Dear Ms ", "Yours sincerely", "Email: ", "Tel: "]


@pytest.fixture(scope="module")
def refusal() -> Redaction:
    return redact(REFUSAL)


def test_refusal_letter_personal_data_replaced(refusal):
    for item in PERSONAL:
        assert item not in refusal.text, item
    assert "Ms [NAME]\n[ADDRESS]\n\nOur ref" in refusal.text              # the requester's block at the top
    assert "Dear Ms [NAME]\n" in refusal.text
    assert "passed to\n[NAME] in the Information Management Unit" in refusal.text
    assert "consulted DS [NAME] of the Professional Standards" in refusal.text
    assert "Yours sincerely\n\n[NAME]\nInformation Rights Officer\n" in refusal.text   # the signature
    assert "Email: [EMAIL]\nTel: [PHONE]\n" in refusal.text


def test_refusal_letter_public_matter_intact(refusal):
    for item in KEPT:
        assert item in refusal.text, item
    # the authority's own letterhead: names kept; its street address is an address all the same
    assert refusal.text.startswith("Example Constabulary\nInformation Management Unit\nPolice Headquarters\n"
                                   "[ADDRESS]\n\n")


def test_refusal_letter_counts_and_spans(refusal):
    assert refusal.found == {"EMAIL": 1, "PHONE": 1, "POSTCODE": 0, "ADDRESS": 2, "NAME": 5}
    assert set(refusal.found) == set(TYPES)
    assert sum(refusal.found.values()) == len(refusal.spans)
    for sp in refusal.spans:                            # spans point into the original text
        assert isinstance(sp, Span) and REFUSAL[sp.start:sp.end].strip() == REFUSAL[sp.start:sp.end]
    rebuilt, pos = [], 0
    for sp in refusal.spans:
        rebuilt += [REFUSAL[pos:sp.start], PLACEHOLDERS[sp.kind]]
        pos = sp.end
    assert "".join(rebuilt) + REFUSAL[pos:] == refusal.text
    street = next(sp for sp in refusal.spans if REFUSAL[sp.start:sp.end].startswith("Flat 3"))
    assert REFUSAL[street.start:street.end] == "Flat 3, 21 Acacia Avenue\nExampletown\nExampleshire\nEX4 7QT"


def test_deterministic_and_idempotent(refusal):
    assert redact(REFUSAL) == refusal
    again = redact(refusal.text)
    assert again.text == refusal.text and sum(again.found.values()) == 0


def test_crlf_letter_same_result(refusal):
    r = redact(REFUSAL.replace("\n", "\r\n"))
    assert r.text.replace("\r\n", "\n") == refusal.text and r.found == refusal.found


def test_keep_leaves_named_strings_alone():
    r = redact(REFUSAL, keep={"Sam Okafor", "01632 960 123"})
    assert "\nSam Okafor\nInformation Rights Officer" in r.text and "Tel: 01632 960 123" in r.text
    assert "Priya" not in r.text and "[EMAIL]" in r.text
    assert redact("Write to foi@example.gov.uk.", keep={"foi@example.gov.uk"}).text == "Write to foi@example.gov.uk."


# ---------------------------------------------------------------- edge cases

def test_phone_shapes():
    numbers = ["020 7946 0123", "+44 (0)20 7946 0123", "+44 20 7946 0123", "(0161) 496 0123", "07700 900123",
               "07700-900-123", "+447700900123", "0044 1632 960123", "0800 123 4567", "0300 123 1113",
               "01632 960123", "(01632) 960 123", "0121-496-0123"]
    r = redact("Call " + "; ".join(numbers) + ".")
    assert r.found["PHONE"] == len(numbers)
    assert r.text == "Call " + "; ".join(["[PHONE]"] * len(numbers)) + "."


@pytest.mark.parametrize("text", [
    "Please quote FOI 2025 0142 in any reply.",
    "Please quote FOI-2025-0142, IC-123456-A1B2 or FS50123456; appeal EA/2019/0123.",
    "Our ref: 24.001234, sent 03/07/2024 (2024-07-03).",
    "The 0800 line took 2019 0142 1234 calls in 12345 hours.",
    "Quoting reference FOI 0142 2025 0001.",
])
def test_numbers_that_are_not_phones(text):
    assert redact(text).text == text


@pytest.mark.parametrize("text", [
    "Queen Elizabeth Hospital NHS Trust holds the records.",
    "Liverpool John Moores University and St John Ambulance replied.",
    "The Office of the Police and Crime Commissioner for Exampleshire, the Department for Business and Trade "
    "and Exampleshire Fire and Rescue Service.",
    "DS Smith plc supplies the boxes.",
    "Our Data Protection Officer, the Head of Information Governance and the Disclosure Team agreed.",
    "The exemptions at s31(3), section 40(2) and regulation 12(5)(e) apply; see also sections 24 and 31.",
    "Dear Sir or Madam,\n\nYours faithfully\n\nFOI Team\nExample Council\n",
    "Dear Information Rights Team,",
    "12 The Crown Court held that the request was vexatious.",
    "Lord Chancellor; Lady Justice; Dr Who; Chief Inspector of Constabulary.",
])
def test_public_bodies_titles_and_provisions_intact(text):
    assert redact(text).text == text


def test_generic_mailbox_is_still_an_email():
    r = redact("Send your internal review request to foi@example.gov.uk or FOI@Example.Police.UK.")
    assert r.text == "Send your internal review request to [EMAIL] or [EMAIL]."


def test_names_by_title_salutation_signature_and_headers():
    r = redact("From: Jane Smith <jane.smith@example.com>\nTo: FOI Team <foi@example.gov.uk>\n"
               "Cc: Smith, Jane; Brown, Peter\nSubject: request FOI-2025-0142\n\n"
               "Hi Priya,\n\nPC Jones, DC A. Khan, Sgt McDonald and Councillor Mary Brown met Mr O'Brien-Smith.\n\n"
               "Kind regards,\nTom\n")
    assert r.text == ("From: [NAME] <[EMAIL]>\nTo: FOI Team <[EMAIL]>\nCc: [NAME]; [NAME]\n"
                      "Subject: request FOI-2025-0142\n\nHi [NAME],\n\nPC [NAME], DC [NAME], Sgt [NAME] and "
                      "Councillor [NAME] met Mr [NAME].\n\nKind regards,\n[NAME]\n")
    assert redact("Best wishes, Chloe Evans").text == "Best wishes, [NAME]"
    assert redact("Dear Jane Smith,\n").text == "Dear [NAME],\n"
    assert redact("Dear Siân Evans,\n\nMs Zoë Ní Bhriain and Mr Ó Súilleabháin wrote.").text \
        == "Dear [NAME],\n\nMs [NAME] and Mr [NAME] wrote."
    # the officer's name on the signature line before the job title, and a flattened signature
    assert redact("Yours sincerely\n\nSam Okafor, Information Rights Officer\n").text \
        == "Yours sincerely\n\n[NAME], Information Rights Officer\n"
    assert redact("Yours sincerely Sam Okafor Information Rights Officer").text \
        == "Yours sincerely [NAME] Information Rights Officer"
    assert redact("Kind regards\n\nExample Council\n").text == "Kind regards\n\nExample Council\n"


def test_a_name_found_once_is_redacted_everywhere():
    r = redact("Dear Ms Patel,\n\nWe wrote to Priya Patel on 3 July 2025. Patel's complaint, from PATEL, ...")
    assert "Patel" not in r.text and "PATEL" not in r.text and "Priya" not in r.text
    assert "We wrote to [NAME] on 3 July 2025. [NAME]'s complaint, from [NAME]" in r.text
    # a surname that is also a word is redacted beside the title or given name, not everywhere
    r = redact("Jane Brown phoned about the Green Belt. Brown rice.")
    assert r.text == "[NAME] phoned about the Green Belt. Brown rice."


def test_person_after_an_organisation_keyword_is_still_a_name():
    assert redact("Information Commissioner John Edwards said so.").text == "Information Commissioner [NAME] said so."
    assert redact("Police Constable Jane Smith attended.").text == "Police Constable [NAME] attended."


def test_addresses_inline_and_in_blocks():
    assert redact("I live at 12 Acacia Avenue, Exampletown, Exampleshire EX4 7QT and work at 3 Mill Court.").text \
        == "I live at [ADDRESS] and work at [ADDRESS]."
    block = redact("Rose Cottage\nLittle Snoring\nExampleshire\nNR21 0AA\nUnited Kingdom\n\nDear Mr Hale,\n")
    assert block.text == "[ADDRESS]\n\nDear Mr [NAME],\n" and block.found["ADDRESS"] == 1
    r = redact("Address: 12b Church Lane, Exampletown\nPostcode: EX4 7QT\nPlease ring 07700 900456.")
    assert r.text == "Address: [ADDRESS]\nPostcode: [POSTCODE]\nPlease ring [PHONE]."
    assert "[ADDRESS]" not in redact("In 2019 Highways England Road works closed the A1.").text


def test_empty_and_plain_text():
    assert redact("") == Redaction("", {t: 0 for t in TYPES}, ())
    plain = "The public interest favours neither confirming nor denying whether the information is held."
    assert redact(plain).text == plain


# ---------------------------------------------------------------- speed

PAGE = ("Page {n}\n\nThe Council considered the request under section 40(2) and regulation 13 of the "
        "Environmental Information Regulations 2004. Exampleshire County Council holds information about "
        "highway inspections on Acacia Avenue, High Street and Station Road between 1 April 2019 and "
        "31 March 2024, recorded by the Highways Asset Management Team in reports FOI-2024-{n:04d}. "
        "Inspectors noted 14 defects on 12 March 2023 and passed them to the Street Works Manager.\n") * 5


def test_two_thousand_pages_in_a_couple_of_seconds():
    pages = [(REFUSAL if n % 4 == 0 else PAGE.format(n=n)) for n in range(2000)]
    text = "\n\f\n".join(pages)
    assert len(text) > 4_000_000
    start = time.perf_counter()
    r = redact(text)
    elapsed = time.perf_counter() - start
    print(f"redact: {len(text):,} characters, 2,000 pages, {elapsed:.2f} s, {r.found}")
    assert r.found["NAME"] == 500 * 5 and r.found["EMAIL"] == 500
    assert elapsed < 4.0, elapsed                       # about 1 s on the 2-core machine
    flat = text[:1_000_000].replace("\n", " ")          # a PDF whose text came out with no line breaks
    start = time.perf_counter()
    redact(flat)
    assert time.perf_counter() - start < 2.0
