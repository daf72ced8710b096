"""Files the page hands back or keeps: a draft as Markdown or .docx, and the
thumbs up/down feedback log (one JSON object a line)."""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timezone
from pathlib import Path

_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`)")
_NUMBERED = re.compile(r"^\d+[.)]\s+")


def write_markdown(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")
    return path


def _add_runs(paragraph, text: str) -> None:
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("`") and part.endswith("`") and len(part) > 2:
            paragraph.add_run(part[1:-1]).font.name = "Consolas"
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        else:
            paragraph.add_run(part)


def write_docx(text: str, path: Path) -> Path:
    """A plain Word document from the Markdown a draft is written in: headings,
    bullet and numbered lists, quotes, bold and italic; everything else as text."""
    from docx import Document

    doc = Document()
    para: list[str] = []

    def flush():
        if para:
            _add_runs(doc.add_paragraph(), " ".join(s.strip() for s in para))
            para.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = min(len(stripped) - len(stripped.lstrip("#")), 4)
            doc.add_heading(stripped.lstrip("#").strip(), level=level)
        elif stripped[:2] in ("- ", "* ", "+ "):
            flush()
            _add_runs(doc.add_paragraph(style="List Bullet"), stripped[2:].strip())
        elif _NUMBERED.match(stripped):
            flush()
            _add_runs(doc.add_paragraph(style="List Number"), _NUMBERED.sub("", stripped))
        elif stripped.startswith(">"):
            flush()
            _add_runs(doc.add_paragraph(style="Quote"), stripped.lstrip("> ").strip())
        elif stripped in ("---", "***", "___"):
            flush()
        else:
            para.append(stripped)
    flush()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


class FeedbackLog:
    """Appends one line per rating. A later comment on the same answer is a new
    line with the same id: readers keep the last line for each id."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, *, id: str, mode: str, question: str, answer: str, rating: str, comment: str = "") -> dict:
        record = {"id": id, "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "mode": mode, "question": question, "answer": answer, "rating": rating, "comment": comment}
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return record
