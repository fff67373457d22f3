"""The official Python MCP SDK, as LiteLLM uses it, against the real engine and the sandbox."""

import asyncio

import httpx2
from mcp import Client, ClientSession
from mcp.client.streamable_http import streamable_http_client

EXPECTED_TOOLS = {
    "search_gmail_messages",
    "get_gmail_message_content",
    "send_gmail_message",
    "list_calendars",
    "get_events",
    "create_event",
    "list_drive_files",
    "search_drive_files",
}


def run(coroutine):
    return asyncio.run(coroutine)


def test_the_handshake_era_client_lists_every_tool_with_schemas(engine):
    async def scenario():
        async with Client(f"{engine.url}/mcp", mode="legacy") as client:
            return (await client.list_tools()).tools

    tools = run(scenario())

    assert EXPECTED_TOOLS <= {tool.name for tool in tools}
    search = next(t for t in tools if t.name == "search_gmail_messages")
    assert search.input_schema["required"] == ["query"]
    assert search.output_schema["type"] == "object"
    assert search.annotations.read_only_hint is True


def test_the_auto_mode_client_falls_back_to_the_handshake(engine):
    async def scenario():
        async with Client(f"{engine.url}/mcp") as client:
            return await client.call_tool("list_calendars", {})

    result = run(scenario())

    assert not result.is_error, result.content
    ids = [c["id"] for c in result.structured_content["calendars"]]
    assert "en.usa#holiday@group.v.calendar.google.com" in ids


def test_a_search_reaches_gmail_with_the_query_and_returns_hydrated_messages(engine, recorded):
    async def scenario():
        async with httpx2.AsyncClient() as http, streamable_http_client(
            f"{engine.url}/mcp", http_client=http
        ) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool(
                "search_gmail_messages", {"query": "from:carol@example.com", "page_size": 5}
            )

    result = run(scenario())

    assert not result.is_error, result.content
    messages = result.structured_content["messages"]
    assert messages, result.content
    assert all("carol@example.com" in m["from"] for m in messages)
    assert all(m["id"] and m["thread_id"] and m["subject"] for m in messages)
    listed = [r for r in recorded.requests() if r["path"] == "/gmail/v1/users/me/messages"]
    assert dict(listed[0]["query"])["q"] == "from:carol@example.com"
    assert dict(listed[0]["query"])["maxResults"] == "5"
    assert all(r["authorization"] == "Bearer sandbox-token" for r in recorded.requests())


def test_a_google_error_is_a_tool_error_the_model_can_read(engine):
    async def scenario():
        async with Client(f"{engine.url}/mcp", mode="legacy") as client:
            return await client.call_tool(
                "get_gmail_message_content", {"message_id": "0000000000000000"}
            )

    result = run(scenario())

    assert result.is_error
    text = result.content[0].text
    assert "404" in text and "notFound" in text


def test_bad_arguments_are_refused_before_anything_is_sent(engine, recorded):
    async def scenario():
        async with Client(f"{engine.url}/mcp", mode="legacy") as client:
            return await client.call_tool(
                "send_gmail_message",
                {"to": "bob@example.com", "subject": "Invoice\r\nBcc: attacker@example.net", "body": "x"},
            )

    result = run(scenario())

    assert result.is_error
    assert "subject" in result.content[0].text
    assert not [r for r in recorded.requests() if r["path"].endswith("/messages/send")]
