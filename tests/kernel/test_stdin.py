"""prompt() and promptAsync() ask the front end through input_request, and fail the cell when it has no stdin."""
from __future__ import annotations

from queue import Empty

import pytest


def test_prompt_asks_the_front_end_with_input_request(kernel):
    run = kernel.execute('const name = prompt("Your name?");\nString(name).toUpperCase()', stdin=lambda req: "ada")
    assert run.status == "ok", run.all_text()
    assert len(run.stdin_requests) == 1
    request = run.stdin_requests[0]["content"]
    assert request["prompt"] == "Your name?"
    assert request["password"] is False
    assert run.result_text() == "'ADA'"


def test_prompt_is_typed_as_returning_a_string(kernel):
    # The contract: prompt(message) returns string (the DOM lib's `string | null` would
    # force a non-null assertion on every use in a notebook).
    run = kernel.execute('const typedAnswer = prompt("Anything?");\ntypedAnswer.length', stdin=lambda req: "abc")
    assert run.status == "ok", run.all_text()
    assert run.result_text() == "3"


def test_prompt_async_can_ask_for_a_password(kernel):
    run = kernel.execute('(await promptAsync("Token?", { password: true })).length', stdin=lambda req: "s3cret")
    assert run.status == "ok", run.all_text()
    assert run.stdin_requests[0]["content"]["password"] is True
    assert run.result_text() == "6"


def test_prompt_fails_the_cell_when_the_front_end_has_no_stdin(kernel):
    run = kernel.execute('prompt("anyone?")', allow_stdin=False)
    assert run.status == "error"
    with pytest.raises(Empty):
        kernel.kc.get_stdin_msg(timeout=0.5)
