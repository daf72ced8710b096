"""Every template in prompts/ is used by the code, and every one used exists."""
import re

from assistant.config import REPO_ROOT


def test_every_template_is_used_and_exists():
    code = "\n".join(p.read_text() for p in (REPO_ROOT / "assistant").rglob("*.py"))
    prompts = {p.name for p in (REPO_ROOT / "prompts").iterdir() if p.is_file()}
    unused = [name for name in prompts if name not in code]
    assert not unused, f"templates never used: {unused}"
    referenced = set(re.findall(r'self\.t\.(?:render|text)\(\s*"([\w.-]+)"', code)) | set(re.findall(r'prompts_dir / "([^"]+)"', code))
    missing = [n for n in referenced if n not in prompts]
    assert not missing, f"templates referenced but missing: {missing}"


def test_reviewed_wording_names_only_real_provisions():
    from assistant.reason.act import invalid_citations

    for p in (REPO_ROOT / "prompts").iterdir():
        assert invalid_citations(p.read_text()) == [], p.name
