"""Templates and reviewed wording live in prompts/, where a legal reviewer can
read and change them. This module only loads them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml


class Templates:
    def __init__(self, prompts_dir: Path):
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        self.dir = prompts_dir
        self.env = Environment(loader=FileSystemLoader(str(prompts_dir)), undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
        self.wording = _load_yaml(prompts_dir / "exemptions.yaml")
        self.steps = _load_yaml(prompts_dir / "next_steps.yaml")
        bodies = prompts_dir / "bodies.yaml"
        self.bodies = (_load_yaml(bodies).get("bodies") or []) if bodies.exists() else []
        situations = prompts_dir / "situations.yaml"
        self.situations = (_load_yaml(situations).get("situations") or []) if situations.exists() else []

    def render(self, name: str, **context) -> str:
        text = self.env.get_template(name).render(**context)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip() + "\n"

    def text(self, name: str) -> str:
        return (self.dir / name).read_text(encoding="utf-8")

    def family(self, fam: str) -> dict:
        return (self.wording.get("families") or {}).get(fam, {})


@lru_cache(maxsize=8)
def _load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
