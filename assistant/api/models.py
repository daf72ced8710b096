"""Request bodies of the REST API (the responses are the engine's to_json() shapes)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Turn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)
    answer_id: str | None = None


class ExplainBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="the refusal letter's text", max_length=400_000)


class DraftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request: str = Field(description="the request to answer", max_length=100_000)
    authority: str | None = Field(None, description="the authority answering (its name: helps spot Scottish bodies)")
    authority_type: Literal["police", "local_gov", "central_gov", "health", "education", "other"] | None = None


class AskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=10_000)
    mode: Literal["requester", "officer"] = "requester"
    conversation_id: str | None = Field(None, description="continue a conversation the server keeps (from an earlier answer)")
    history: list[Turn] | None = Field(None, description="or send the conversation so far yourself")
