"""The REST API (routes.py) and the MCP tools (mcp_tools.py): thin doors onto the
one Engine, answering in the same JSON shapes as the CLI's --json."""
