"""The web app.

Browser tests (marked browser): the real app in a subprocess (real engine,
real index in a temporary data dir), driven by Playwright's Chromium. Each
saves screenshots at desktop (1280x800) and phone (390x844) sizes under
test-output/screenshots/ so the layout can be looked at, not only asserted on.

Unit tests (unmarked, fast): routing, rendering, exports, the feedback log,
the per-session engines and library uploads, with fakes for the engine."""
from __future__ import annotations

import json
import re
import time

from pathlib import Path

import pytest

from conftest import run_app

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
START_TIMEOUT_S = 180      # the first start embeds the whole corpus
ANSWER_TIMEOUT_MS = 120_000

LFR_REQUEST = ("The number of operations where live facial-recognition technology was used, with the date, "
               "approximate times and location of each deployment, and the number of faces scanned, "
               "over the past 10 years")
REFUSAL_LETTER = """Dear Ms Patel,

Freedom of Information Request Reference: FOI-2025-0142

Thank you for your request received on 4 March 2025, in which you asked for the locations of all
automatic number plate recognition (ANPR) cameras operated by the force.

The force can neither confirm nor deny that it holds the information you requested, as the duty in
section 1(1)(a) of the Freedom of Information Act 2000 does not apply by virtue of section 24(2) and
section 31(3).

If you are dissatisfied with this response you may ask for an internal review.

Yours sincerely,

Information Management Unit
Example Constabulary
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_engine):
    """The app as a person runs it: python app.py --host --port --data-dir, on a copy of the
    session's built index (so it starts without embedding the corpus and training again)."""
    data_dir = tmp_path_factory.mktemp("web") / "data"
    with run_app(data_dir, corpus_engine.settings.data_dir, seconds=START_TIMEOUT_S) as (base, log):
        yield {"url": base + "/", "data_dir": data_dir, "log": log}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(server["url"], wait_until="domcontentloaded")
    pg.locator("#foi-mode").wait_for(state="visible", timeout=60_000)
    try:
        yield pg
    finally:
        context.close()


def _shots(pg, name: str) -> None:
    """Save the page at desktop then phone width (full length), and go back to desktop."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.set_viewport_size(DESKTOP)
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    pg.set_viewport_size(PHONE)
    pg.wait_for_timeout(700)
    pg.screenshot(path=str(SHOTS / f"{name}-mobile.png"), full_page=True)
    pg.set_viewport_size(DESKTOP)
    pg.wait_for_timeout(300)


def _send(pg, text: str) -> None:
    box = pg.locator("#foi-message textarea")
    box.fill(text)
    box.press("Enter")


def _open_tab(pg, name: str) -> None:
    pg.get_by_role("tab", name=name).click()


def _upload_to_library(pg, path: Path) -> str:
    _open_tab(pg, "Library")
    pg.locator("#foi-uploads input[type=file]").set_input_files(str(path))
    pg.locator("#foi-uploads .file-preview").get_by_text(path.stem).first.wait_for(timeout=30_000)  # uploaded
    pg.locator("#foi-add").click()
    report = pg.locator("#foi-ingest-report")
    report.get_by_text(re.compile(r"Added|Could not add|Already in the library")).first.wait_for(
        timeout=ANSWER_TIMEOUT_MS)
    return report.inner_text()


@pytest.mark.browser
def test_page_opens_in_requester_mode(page):
    assert page.title() == "FOI Assistant"
    assert page.get_by_text("I got a refusal").is_visible()
    assert page.get_by_text("I'm drafting a response").is_visible()
    assert page.locator("#foi-officer-panel").count() == 0 or not page.locator("#foi-officer-panel").is_visible()
    _shots(page, "01-start")


@pytest.mark.browser
def test_requester_question_shows_citations(page, server):
    _send(page, "what does section 31(3) mean?")
    sources = page.locator("#foi-sources .foi-source")
    sources.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert sources.count() >= 1
    first = sources.first.inner_text()
    assert "[1]" in first
    assert "VERIFIED" in first.upper()
    answer = page.locator("#foi-chat .message-row.bot-row").last.inner_text()
    assert "[1]" in answer
    _shots(page, "02-requester-question")

    # a thumbs-up with a comment lands in the feedback file
    page.locator("#foi-chat button[aria-label='Like']").last.click()
    page.locator("#foi-comment textarea, #foi-comment input").first.fill("clear and cited")
    _shots(page, "02b-feedback")
    page.get_by_role("button", name="Send comment").click()
    feedback = server["data_dir"] / "feedback.jsonl"
    for _ in range(50):
        if feedback.exists() and "clear and cited" in feedback.read_text():
            break
        time.sleep(0.2)
    records = [json.loads(line) for line in feedback.read_text().splitlines()]
    assert records[-1]["rating"] == "up" and records[-1]["comment"] == "clear and cited"
    assert records[-1]["question"] == "what does section 31(3) mean?"
    assert {"timestamp", "mode", "question", "answer", "rating", "comment"} <= set(records[-1])


@pytest.mark.browser
def test_requester_letter_is_explained(page):
    _send(page, REFUSAL_LETTER)
    panel = page.locator("#foi-requester-panel")
    panel.locator(".foi-steps").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "s24(2)" in panel.locator("#foi-provisions").inner_text()
    checks = panel.locator("#foi-req-checks .foi-check")
    assert checks.count() >= 3
    assert page.locator("#foi-letter textarea").input_value().strip()
    assert page.locator("#foi-sources .foi-source").count() >= 1
    _shots(page, "03-requester-letter")


def _letter_pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


@pytest.mark.browser
def test_requester_attached_pdf_letter_is_explained(page, tmp_path):
    letter = _letter_pdf(tmp_path / "refusal-letter.pdf", REFUSAL_LETTER)
    page.locator("#foi-input-tools input[type=file]").set_input_files(str(letter))
    page.locator("#foi-attached").get_by_text("refusal-letter.pdf").wait_for(timeout=30_000)
    page.locator("#foi-message textarea").press("Enter")
    page.locator("#foi-requester-panel .foi-steps").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "refusal-letter.pdf" in page.locator("#foi-chat .message-row.user-row").last.inner_text()
    assert "s31(3)" in page.locator("#foi-provisions").inner_text()


@pytest.mark.browser
def test_officer_request_suggests_and_drafts(page, tmp_path):
    # an officer of a police force says so in Settings: the model weighs what forces did
    _open_tab(page, "Settings")
    page.locator("#foi-settings textarea, #foi-settings input[type=text]").last.fill("Northshire Police")
    page.locator("#foi-apply").click()
    page.get_by_text("Applied").first.wait_for(timeout=15_000)
    _open_tab(page, "Assistant")
    page.get_by_text("I'm drafting a response").click()
    _send(page, LFR_REQUEST)
    table = page.locator("#foi-suggestions table")
    table.wait_for(timeout=ANSWER_TIMEOUT_MS)
    provisions = table.locator(".foi-section").all_inner_texts()
    assert {"s24", "s31"} <= {p.split("(")[0] for p in provisions}, provisions
    # the full ranking with probabilities, the NCND advice with its probability, how others answered
    ranking = page.locator("#foi-ranking").inner_text()
    assert "Top 5" in ranking and re.search(r"0\.\d\d", ranking)
    ncnd = page.locator("#foi-ncnd").inner_text()
    assert "s31(3)" in ncnd and "s24(2)" in ncnd and "probability" in ncnd, ncnd
    view = page.locator("#foi-consistency-view")
    assert "How others answered this" in view.inner_text() and "similar requests" in view.inner_text()
    view.scroll_into_view_if_needed()
    _shots(page, "04a-officer-consistency")
    draft = page.locator("#foi-draft textarea")
    assert len(draft.input_value()) > 200
    assert page.locator("#foi-draft-checks .foi-check").count() >= 1
    _shots(page, "04-officer-draft")

    # edit, re-check: the checks follow the edited text
    draft.fill("Dear requester, we hold the information but will not give it to you.")
    page.locator("#foi-recheck").click()
    page.locator("#foi-draft-checks .foi-check.fail").first.wait_for(timeout=30_000)

    # the .docx download is a Word file of the edited draft
    page.wait_for_timeout(1000)    # the download files follow the edit
    with page.expect_download() as got:
        page.locator("#foi-draft-docx").click()
    saved = tmp_path / "draft.docx"
    got.value.save_as(saved)
    from docx import Document

    assert "we hold the information" in "\n".join(p.text for p in Document(str(saved)).paragraphs)


THREE_PART = ("Please provide:\n1. The number of CCTV cameras the council operates\n"
              "2. The names and salaries of the staff who monitor them\n3. The annual maintenance cost of the system")


@pytest.mark.browser
def test_officer_three_part_request_is_answered_item_by_item(page):
    page.get_by_text("I'm drafting a response").click()
    _send(page, THREE_PART)
    table = page.locator("#foi-items-table")
    table.wait_for(timeout=ANSWER_TIMEOUT_MS)
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    texts = rows.all_inner_texts()
    assert "CCTV cameras" in texts[0] and "salaries" in texts[1] and "maintenance cost" in texts[2]
    draft = page.locator("#foi-draft textarea").input_value()
    assert "1. **The number of CCTV cameras" in draft and "3. **The annual maintenance cost" in draft
    table.scroll_into_view_if_needed()
    _shots(page, "04b-officer-items")


@pytest.mark.browser
def test_the_chat_streams_an_answer_paragraph_by_paragraph(page):
    _send(page, "The council refused my request for the chief executive's expenses saying it was personal data. "
                "Is that right?")
    bubble = page.locator("#foi-chat .message-row.bot-row").last
    seen: list[str] = []
    deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if bubble.count():
            text = bubble.inner_text()
            if text and (not seen or text != seen[-1]):
                seen.append(text)
            if "Answer:" in text:          # the last line of a matched answer: it is complete
                break
        page.wait_for_timeout(25)
    assert seen and "Answer:" in seen[-1]
    assert len(seen) >= 2 and len(seen[0]) < len(seen[-1]), [len(x) for x in seen]   # the first paragraph came first
    assert seen[0].strip() and seen[-1].startswith(seen[0].strip()[:40])
    assert "legitimate interest" in seen[-1].lower()
    _shots(page, "02c-requester-streamed-answer")


@pytest.mark.browser
def test_library_upload_pdf_is_listed(page, tmp_path):
    from fpdf import FPDF

    title = "Webtest drone fleet disclosure log"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, title + "\n\n" + "The force released the number of drones it operates and their "
                   "purchase costs under the Freedom of Information Act 2000. " * 6)
    path = tmp_path / "drone-fleet.pdf"
    pdf.output(str(path))

    report = _upload_to_library(page, path)
    assert "Added" in report, report
    page.locator("#foi-lib-filter textarea, #foi-lib-filter input").first.fill("drone fleet disclosure")
    listed = page.locator("#foi-docs")
    listed.get_by_text(re.compile(r"Showing 1 of \d+")).wait_for(timeout=15_000)
    assert title in listed.locator("tbody").inner_text()
    _shots(page, "05-library")


@pytest.mark.browser
def test_library_reports_a_corrupt_file_by_name(page, tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 garbage")
    report = _upload_to_library(page, path)
    assert "Could not add" in report and "broken.pdf" in report, report
    _shots(page, "06-library-error")


@pytest.mark.browser
def test_settings_tab(page):
    _open_tab(page, "Settings")
    page.get_by_text("Language model").first.wait_for()
    page.locator("#foi-apply").click()
    page.get_by_text("Applied").first.wait_for(timeout=15_000)
    _shots(page, "07-settings")


# --- unit tests: no browser, no server ------------------------------------------------
class TestRouting:
    def test_requester_letter_or_question(self):
        from assistant.web.routing import route

        assert route("requester", REFUSAL_LETTER) == "explain"
        assert route("requester", "what does section 31(3) mean?") == "ask"
        assert route("requester", "hi", has_file=True) == "explain"
        assert route("requester", REFUSAL_LETTER, treat_as="question") == "ask"

    def test_officer_request_or_question(self):
        from assistant.web.routing import route

        assert route("officer", LFR_REQUEST) == "draft"
        assert route("officer", "what does s31(3) mean?") == "ask"
        assert route("officer", "How many drones does the force own?") == "draft"
        assert route("officer", "Can I rely on s43 for a contract price?") == "ask"
        assert route("officer", "what does s31(3) mean?", treat_as="document") == "draft"


class TestRender:
    CITATION = {"n": 1, "doc_id": "s31", "chunk_id": "s31::0", "title": "Section 31 <law>",
                "url": "https://www.legislation.gov.uk/ukpga/2000/36/section/31",
                "quote": "**s31(3)** removes <b>the duty</b>", "verified": True, "kind": "legislation"}

    def test_sources_escape_and_badge(self):
        from assistant.web.render import sources_html

        html = sources_html([self.CITATION, dict(self.CITATION, n=2, verified=False, url="javascript:alert(1)")])
        assert "[1]" in html and "[2]" in html
        assert "Section 31 &lt;law&gt;" in html and "&lt;b&gt;the duty&lt;/b&gt;" in html
        assert "<strong>s31(3)</strong>" in html
        assert "verified" in html and "unverified" in html
        assert "javascript:" not in html
        assert "Low confidence" not in html
        assert "Low confidence" in sources_html([self.CITATION], weak=True)

    def test_checks_and_steps(self):
        from assistant.web.render import checks_html, steps_html

        html = checks_html([{"id": "a", "ok": True, "message": "fine"}, {"id": "b", "ok": False, "message": "x<y"}])
        assert "✓" in html and "✗" in html and "x&lt;y" in html and "1 of 2 checks need attention" in html
        steps = steps_html([{"step": "Ask for a review", "deadline": "2025-04-30", "detail": "d", "citations": [3]}])
        assert "Wed 30 Apr 2025" in steps and "[3]" in steps

    def test_suggestions_and_library(self):
        from assistant.web.render import ingest_report_markdown, library_html, suggestions_html

        html = suggestions_html([{"section": "s31(3)", "score": 0.7, "reasons": ["r"], "precedents": [
            {"authority": "A Police", "reference": "1", "outcome": "ncnd", "ncnd": True, "sections": ["s31(3)"],
             "request": "q", "url": "", "similarity": 0.5}]}])
        assert "s31(3)" in html and "A Police 1" in html
        docs = [{"doc_id": "d1", "title": "Drone log", "kind": "guidance", "url": "", "chunks": 2},
                {"doc_id": "d2", "title": "Other", "kind": "response", "url": "", "chunks": 1}]
        assert "Drone log" in library_html(docs, "drone") and "Other" not in library_html(docs, "drone")
        report = {"added": [], "skipped": [], "failed": [{"source": "/x/broken.pdf",
                                                           "error": "broken.pdf: the PDF is damaged"}]}
        md = ingest_report_markdown(report)
        assert "**broken.pdf** — the PDF is damaged" in md


class TestExports:
    def test_docx_keeps_structure(self, tmp_path):
        from docx import Document

        from assistant.web.exports import write_docx

        path = write_docx("# Title\n\nA **bold** point.\n\n- one\n- two\n\n1. first\n", tmp_path / "d.docx")
        doc = Document(str(path))
        styles = [(p.style.name, p.text) for p in doc.paragraphs]
        assert ("Heading 1", "Title") in styles and ("List Bullet", "one") in styles
        assert ("List Number", "first") in styles
        assert any(r.bold and r.text == "bold" for p in doc.paragraphs for r in p.runs)

    def test_feedback_log_appends_json_lines(self, tmp_path):
        from assistant.web.exports import FeedbackLog

        log = FeedbackLog(tmp_path / "sub" / "feedback.jsonl")
        log.append(id="1", mode="officer", question="q", answer="a", rating="up")
        log.append(id="1", mode="officer", question="q", answer="a", rating="up", comment="good")
        rows = [json.loads(x) for x in (tmp_path / "sub" / "feedback.jsonl").read_text().splitlines()]
        assert [r["comment"] for r in rows] == ["", "good"]
        assert {"timestamp", "mode", "question", "answer", "rating", "comment"} <= set(rows[0])


class _FakeEngine:
    """Enough of Engine for session and library: settings, index, ingest."""

    def __init__(self, settings, index=None):
        self.settings = settings
        self.index = index if index is not None else object()
        self.ingested: list[Path] = []

    def ingest(self, paths, progress=None, owner="", upload=False):
        from assistant.ingest.pipeline import IngestReport

        report = IngestReport()
        for p in paths:
            self.ingested.append(p)
            if p.name.startswith("bad"):
                report.failed.append((str(p.resolve()), f"{p.name}: no text to index"))
            else:
                report.added.append(str(p.resolve()))
        return report


class TestSessionAndLibrary:
    def test_engines_share_the_index_and_are_reused(self, tmp_path):
        from assistant.config import Settings
        from assistant.web.session import Engines

        base = _FakeEngine(Settings.load(data_dir=tmp_path))
        engines = Engines(base)
        assert engines.get({"top_k": base.settings.top_k, "llm_backend": "none"}) is base
        other = engines.get({"top_k": 3})
        assert other is not base and other.index is base.index and other.settings.top_k == 3
        assert other.settings.data_dir == base.settings.data_dir
        assert engines.get({"top_k": "3"}) is other

    def test_uploads_are_kept_and_failures_removed(self, tmp_path):
        from assistant.config import Settings
        from assistant.web.library import ingest_uploads

        engine = _FakeEngine(Settings.load(data_dir=tmp_path / "data"))
        good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
        good.write_text("some text")
        bad.write_text("other text")
        report, names = ingest_uploads(engine, [good, bad])
        kept = list((tmp_path / "data" / "uploads").rglob("*.txt"))
        assert [p.name for p in kept] == ["good.txt"]
        assert sorted(names.values()) == ["bad.txt", "good.txt"]
        assert len(report["added"]) == 1 and report["failed"][0]["error"].startswith("bad.txt")


class TestListenAddress:
    """The ecosystem's way to move a Gradio app (GRADIO_SERVER_NAME/PORT) works when no flag or FOI_* says otherwise."""

    def test_gradio_variables_are_honoured(self, monkeypatch):
        from assistant.web.app import build_parser, listen_address

        monkeypatch.delenv("FOI_HOST", raising=False)
        monkeypatch.delenv("FOI_PORT", raising=False)
        monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
        monkeypatch.setenv("GRADIO_SERVER_PORT", "8123")
        assert listen_address(build_parser().parse_args([])) == ("0.0.0.0", 8123)
        assert listen_address(build_parser().parse_args(["--port", "9000", "--host", "127.0.0.1"])) == ("127.0.0.1", 9000)
        monkeypatch.setenv("FOI_PORT", "7001")
        assert listen_address(build_parser().parse_args([]))[1] is None      # FOI_PORT wins (Settings reads it)
