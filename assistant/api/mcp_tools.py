"""The engine as MCP tools (the mcp SDK's MCPServer, streamable HTTP at /mcp on the
same server): explain, draft, ask and search, answering in the CLI's --json shapes,
so an assistant client can call them. Empty input is the engine's to refuse (its
ValueError becomes the tool's error); only what the engine does not check is checked here."""
from __future__ import annotations

from typing import Any


def build_mcp(engine, settings):
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(name="FOI Assistant", version="0.2.0",
                       instructions="UK Freedom of Information help with verified citations: explain a refusal "
                                    "letter, draft a response to a request, answer a question, search the library.")

    @server.tool(description="Explain a refusal letter: the provisions it relies on, whether it meets the "
                             "refusal-notice requirements, and the requester's next steps with deadlines.")
    def explain(letter: str) -> dict[str, Any]:
        return engine.explain(letter).to_json()

    @server.tool(description="For an FOI request: the provisions that may apply (with probabilities), whether "
                             "to neither confirm nor deny, how others answered similar requests, and a checked draft.")
    def draft(request: str, authority: str | None = None) -> dict[str, Any]:
        return engine.draft(request, authority=authority).to_json()

    @server.tool(description="Answer a question about UK FOI law (FOIA, EIR, FOISA): the direct answer first, "
                             "then what changes it and what to do next, with verified citations.")
    def ask(question: str, mode: str = "requester", history: list[dict] | None = None) -> dict[str, Any]:
        if mode not in ("requester", "officer"):
            raise ValueError("mode is requester or officer")
        return engine.ask(question, mode=mode, history=history or []).to_json()

    @server.tool(description="Search the library (law, guidance, past responses) by meaning and words.")
    def search(query: str, k: int = 5) -> dict[str, Any]:
        if not query.strip():
            raise ValueError("the query is empty")
        hits = engine.search(query, k=max(1, min(int(k), 50)))
        return {"results": [h.to_json() for h in hits]}

    return server
