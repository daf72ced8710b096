"""The container files (Dockerfile, compose.yaml, .dockerignore) against each other,
pyproject.toml and README.md "Containers", read as text: no docker is needed. Only
the last test calls `docker compose config`, and only where a daemon answers."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tomllib

import pytest
import yaml

from assistant.config import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
COMPOSE = REPO_ROOT / "compose.yaml"
README = REPO_ROOT / "README.md"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False"}


# --- readers -------------------------------------------------------------------------
def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments): continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def instruction(name: str) -> list[str]:
    return [rest for word, rest in instructions() if word == name]


def env_vars() -> dict[str, str]:
    """ENV A=1 B=2 (the key=value form) into a dict."""
    found = {}
    for rest in instruction("ENV"):
        for item in shlex.split(rest):
            key, _, value = item.partition("=")
            found[key] = value
    return found


def dockerfile_cmd() -> list[str]:
    cmds = instruction("CMD")
    assert len(cmds) == 1, cmds
    cmd = json.loads(cmds[0])          # the exec form is a JSON array; a shell form fails here
    assert isinstance(cmd, list) and all(isinstance(a, str) for a in cmd), cmd
    return cmd


def readme_section(title: str) -> str:
    """The README's text from the heading `## <title>` to the next heading of that level."""
    text = README.read_text()
    m = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f'README.md has no "## {title}" section'
    return m.group(1)


def readme_container_command() -> list[str]:
    """The command line in the Containers section: its fenced block that runs `python app.py`."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", readme_section("Containers"), re.M | re.S)
    lines = [ln.strip() for b in blocks for ln in b.splitlines()
             if ln.strip().startswith("python app.py")]
    assert len(lines) == 1, f"expected one `python app.py ...` line in the Containers section, found {lines}"
    return shlex.split(lines[0], comments=True)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def environment(service: dict) -> dict[str, str]:
    """A service's environment, given as a mapping or as a list of KEY=value."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) for each volume of a service, short or long syntax."""
    found = []
    for v in service.get("volumes") or []:
        if isinstance(v, str):
            source, target = v.split(":")[:2]
        else:
            source, target = v.get("source", ""), v["target"]
        found.append((source, target))
    return found


def published(service: dict) -> list[tuple[str, str, str]]:
    """(host address, host port, container port) for each published port, short or long syntax."""
    found = []
    for p in service.get("ports") or []:
        if isinstance(p, dict):
            found.append((p.get("host_ip", ""), str(p.get("published", "")), str(p["target"])))
            continue
        parts = str(p).split("/")[0].split(":")
        if len(parts) == 3:
            found.append(tuple(parts))
        elif len(parts) == 2:
            found.append(("", parts[0], parts[1]))      # no address: every interface
        else:
            found.append(("", "", parts[0]))            # a random port on every interface
    return found


# --- compose.yaml --------------------------------------------------------------------
def test_two_services_chroma_and_the_app(compose):
    assert set(compose["services"]) == {"chroma", "app"}
    app = compose["services"]["app"]
    build = app["build"]
    assert (build if isinstance(build, str) else build.get("context")) in (".", "./")


def test_chroma_is_the_1_5_line_the_client_speaks(compose):
    image = compose["services"]["chroma"]["image"]
    m = re.fullmatch(r"chromadb/chroma:(\d+)\.(\d+)\.(\d+)", image)
    assert m, f"chroma's image should be a fixed chromadb/chroma:1.5.<patch> tag, not {image!r}"
    deps = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    client = next(d for d in deps if re.match(r"chromadb\b", d))
    assert (m.group(1), m.group(2)) == ("1", "5") and ">=1.5" in client and "<1.6" in client, (image, client)


def test_chroma_is_not_published_to_the_host(compose):
    assert not compose["services"]["chroma"].get("ports"), "the Chroma server has no authentication"


def test_the_app_points_at_the_chroma_service(compose):
    services = compose["services"]
    env = environment(services["app"])
    assert env["FOI_CHROMA_HOST"] in services
    assert env["FOI_CHROMA_HOST"] == "chroma"
    assert env["FOI_CHROMA_PORT"] == "8000"         # Chroma's own port inside its container
    assert "8000" in json.dumps(services["chroma"]["healthcheck"]["test"])


def test_the_token_comes_from_the_host_and_is_optional(compose):
    value = environment(compose["services"]["app"])["FOI_API_TOKEN"]
    assert re.fullmatch(r"\$\{FOI_API_TOKEN(:?-)?\}", value), value


def test_the_app_waits_for_a_healthy_chroma(compose):
    services = compose["services"]
    depends = services["app"]["depends_on"]
    assert isinstance(depends, dict) and depends["chroma"]["condition"] == "service_healthy"
    check = services["chroma"]["healthcheck"]["test"]
    assert check[0] == "CMD" and "/api/v2/heartbeat" in " ".join(check)
    # the 1.5 image has no curl, wget or python
    assert not {"curl", "wget", "python", "python3"} & set(re.findall(r"[\w.]+", " ".join(check)))


def test_volumes_are_declared_and_used(compose):
    declared = set(compose.get("volumes") or {})
    services = compose["services"]
    chroma, app = mounts(services["chroma"]), mounts(services["app"])
    assert [t for _s, t in chroma] == ["/data"], "the 1.5 image persists to /data"
    assert [t for _s, t in app] == ["/data"]
    used = {s for s, _t in chroma + app}
    assert used == declared, f"named volumes used {used}, declared {declared}"
    assert len(used) == 2, "Chroma and the app each need their own volume"


def test_the_app_port_is_bound_to_loopback(compose):
    ports = published(compose["services"]["app"])
    assert ports, "the app publishes its port"
    for address, host_port, container_port in ports:
        assert address in ("127.0.0.1", "::1", "[::1]"), f"port {host_port} is published on {address or 'every interface'}"
        assert container_port == "7860"


def test_the_app_data_volume_is_the_images_data_dir(compose):
    cmd = dockerfile_cmd()
    data_dir = cmd[cmd.index("--data-dir") + 1]
    assert [t for _s, t in mounts(compose["services"]["app"])] == [data_dir]
    assert any(data_dir in v for v in instruction("VOLUME"))


# --- Dockerfile ----------------------------------------------------------------------
def test_base_image_is_python_3_11_slim():
    assert instruction("FROM") == ["python:3.11-slim"]


def test_cmd_is_the_readme_command_line():
    assert dockerfile_cmd() == readme_container_command()


def test_cmd_listens_on_every_interface_on_the_exposed_port():
    cmd = dockerfile_cmd()
    assert cmd[:2] == ["python", "app.py"]
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    port = cmd[cmd.index("--port") + 1]
    assert instruction("EXPOSE") == [port] == ["7860"]


def test_torch_is_the_pinned_cpu_wheel_installed_before_the_project():
    deps = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(d for d in deps if re.match(r"torch\s*==", d)).replace(" ", "")
    runs = instruction("RUN")
    torch_at = next(i for i, r in enumerate(runs) if re.search(r"pip install\b.*\btorch==", r))
    torch_run = runs[torch_at].split()
    assert pin in torch_run, f"the Dockerfile's torch is not pyproject's {pin}"
    assert torch_run[torch_run.index("--index-url") + 1] == CPU_INDEX
    # every other pip install comes after it, so torch from PyPI (a CUDA build) is never pulled
    others = [i for i, r in enumerate(runs) if "pip install" in r and i != torch_at]
    assert others and all(i > torch_at for i in others)


def test_offline_flags_are_set():
    env = env_vars()
    for key, value in OFFLINE.items():
        assert env.get(key) == value, f"ENV {key}={value}"


def test_runs_as_a_user_other_than_root():
    users = instruction("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_healthcheck_calls_api_health_with_urllib():
    checks = instruction("HEALTHCHECK")
    assert len(checks) == 1
    check = checks[0]
    assert "CMD" in check and "/api/health" in check and "urllib" in check
    assert "curl" not in check and "wget" not in check
    assert ":7860/" in check


def test_dockerignore_keeps_the_local_state_out():
    lines = {ln.strip() for ln in (REPO_ROOT / ".dockerignore").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")}
    for pattern in (".venv", "data", "test-output", "eval-output", "bench-output*", ".git"):
        assert pattern in lines, pattern
    assert lines & {"__pycache__", "**/__pycache__"}
    # the package's own data folder (the Act's registry) must not be caught by "data"
    assert not lines & {"**/data", "*/data", "assistant/data"}


# --- docker, where there is one --------------------------------------------------------
def _docker_answers() -> str | None:
    """Why docker compose cannot be asked here, or None when it can."""
    if not shutil.which("docker"):
        return "no docker command on this machine"
    try:
        info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"docker info failed: {exc}"
    if info.returncode != 0:
        return "no docker daemon answers (docker info: " + (info.stderr.strip().splitlines() or ["?"])[-1] + ")"
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=20)
    if plugin.returncode != 0:
        return "the docker compose plugin is not installed"
    return None


def test_docker_compose_config_accepts_the_file():
    reason = _docker_answers()
    if reason:
        pytest.skip(reason)
    result = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
                            capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
