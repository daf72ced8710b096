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


def _strings(node, keys=()):
    """Every string in a YAML document, with the keys above it."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, keys + (str(k),))
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, keys)
    elif isinstance(node, str):
        yield keys, node


def _regime(keys, text) -> str | None:
    """The Act a piece of wording is about: by its keys (foisa-review, eisr ...) or by what it says."""
    joined = " ".join(keys)
    if "eisr" in joined or "Scottish EIRs" in text:
        return "eisr"
    if "foisa" in joined or "FOISA" in text or "(Scotland)" in text:
        return "foisa"
    if "eir" in joined.split("-")[0].split() or joined.startswith("eir") or " eir" in f" {joined}":
        return "eir"
    return None


def test_reviewed_wording_names_only_real_provisions():
    import yaml

    from assistant.reason.act import invalid_citations

    for p in (REPO_ROOT / "prompts").iterdir():
        if p.suffix == ".yaml":
            for keys, text in _strings(yaml.safe_load(p.read_text())):
                assert invalid_citations(text, regime=_regime(keys, text)) == [], (p.name, keys, text[:80])
        else:
            assert invalid_citations(p.read_text()) == [], p.name
