"""The web app in a real browser: the real app in a subprocess (real engine,
real index in a temporary data dir), driven by Playwright's Chromium.

Each test saves screenshots at desktop (1280x800) and phone (390x844) sizes
under test-output/screenshots/ so the layout can be looked at, not only
asserted on."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app as a person runs it: python app.py --host --port --data-dir."""
    data_dir = tmp_path_factory.mktemp("web-data")
    port = _free_port()
    log_path = data_dir / "server.log"
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
                                 "--data-dir", str(data_dir)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while not _answers(url):
            if proc.poll() is not None:
                pytest.fail(f"the app exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not answer within {START_TIMEOUT_S}s:\n{log_path.read_text()[-3000:]}")
            time.sleep(1)
        yield {"url": url, "data_dir": data_dir, "log": log_path}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


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
    pg.locator("#foi-uploads").get_by_text(path.name).first.wait_for(timeout=30_000)
    pg.locator("#foi-add").click()
    report = pg.locator("#foi-ingest-report")
    report.get_by_text(re.compile(r"Added|Could not add|Already in the library")).first.wait_for(
        timeout=ANSWER_TIMEOUT_MS)
    return report.inner_text()


def test_page_opens_in_requester_mode(page):
    assert page.title() == "FOI Assistant"
    assert page.get_by_text("I got a refusal").is_visible()
    assert page.get_by_text("I'm drafting a response").is_visible()
    assert page.locator("#foi-officer-panel").count() == 0 or not page.locator("#foi-officer-panel").is_visible()
    _shots(page, "01-start")


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


def test_requester_attached_pdf_letter_is_explained(page, tmp_path):
    letter = _letter_pdf(tmp_path / "refusal-letter.pdf", REFUSAL_LETTER)
    page.locator("#foi-input-tools input[type=file]").set_input_files(str(letter))
    page.locator("#foi-attached").get_by_text("refusal-letter.pdf").wait_for(timeout=30_000)
    page.locator("#foi-message textarea").press("Enter")
    page.locator("#foi-requester-panel .foi-steps").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "refusal-letter.pdf" in page.locator("#foi-chat .message-row.user-row").last.inner_text()
    assert "s31(3)" in page.locator("#foi-provisions").inner_text()


def test_officer_request_suggests_and_drafts(page, tmp_path):
    page.get_by_text("I'm drafting a response").click()
    _send(page, LFR_REQUEST)
    table = page.locator("#foi-suggestions table")
    table.wait_for(timeout=ANSWER_TIMEOUT_MS)
    provisions = table.locator(".foi-section").all_inner_texts()
    assert "s24(2)" in provisions and "s31(3)" in provisions, provisions
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


def test_library_reports_a_corrupt_file_by_name(page, tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 garbage")
    report = _upload_to_library(page, path)
    assert "Could not add" in report and "broken.pdf" in report, report
    _shots(page, "06-library-error")


def test_settings_tab(page):
    _open_tab(page, "Settings")
    page.get_by_text("Language model").first.wait_for()
    page.locator("#foi-apply").click()
    page.get_by_text("Applied").first.wait_for(timeout=15_000)
    _shots(page, "07-settings")
