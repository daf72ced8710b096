"""A backend is one method: complete(system, user) -> text. Built-in ones go
through langchain chat models (OpenAI-compatible, Ollama) or llama-cpp-python."""
from __future__ import annotations

from ..config import Settings

INSTALL_HINT = "install the optional extra: pip install 'foi-assistant[{extra}]'"


class Backend:
    name = "base"

    def complete(self, system: str, user: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class LangChainBackend(Backend):
    def __init__(self, model, name: str):
        self.model = model
        self.name = name

    def complete(self, system: str, user: str) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        reply = self.model.invoke([SystemMessage(content=system), HumanMessage(content=user)])
        return reply.content if isinstance(reply.content, str) else str(reply.content)


class LlamaCppBackend(Backend):
    """A local GGUF file loaded in-process by llama-cpp-python."""

    def __init__(self, settings: Settings):
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise RuntimeError(INSTALL_HINT.format(extra="gguf")) from e
        if not settings.llm_model_path:
            raise ValueError("llm_backend=llamacpp needs FOI_LLM_MODEL_PATH (a .gguf file)")
        self.llm = Llama(model_path=settings.llm_model_path, n_ctx=4096, verbose=False)
        self.max_tokens = settings.llm_max_tokens
        self.name = f"llama.cpp:{settings.llm_model_path.rsplit('/', 1)[-1]}"

    def complete(self, system: str, user: str) -> str:
        out = self.llm.create_chat_completion(
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            max_tokens=self.max_tokens, temperature=0.1)
        return out["choices"][0]["message"]["content"] or ""


def make_backend(settings: Settings) -> Backend | None:
    kind = settings.llm_backend
    if kind == "none":
        return None
    if kind == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as e:
            raise RuntimeError(INSTALL_HINT.format(extra="llm")) from e
        model = ChatOpenAI(model=settings.llm_model or "default", base_url=settings.llm_base_url,
                           api_key=settings.llm_api_key or "not-needed", timeout=settings.llm_timeout_s,
                           max_tokens=settings.llm_max_tokens, temperature=0.1, max_retries=0)
        return LangChainBackend(model, f"openai:{settings.llm_model or 'default'}")
    if kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as e:
            raise RuntimeError(INSTALL_HINT.format(extra="llm")) from e
        model = ChatOllama(model=settings.llm_model or "llama3.2", base_url=settings.llm_base_url or "http://127.0.0.1:11434",
                           temperature=0.1, num_predict=settings.llm_max_tokens)
        return LangChainBackend(model, f"ollama:{settings.llm_model or 'llama3.2'}")
    if kind == "llamacpp":
        return LlamaCppBackend(settings)
    raise ValueError(f"unknown llm_backend {kind!r}")
