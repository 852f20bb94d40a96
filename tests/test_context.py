"""The context snapshot is checked like a body (issue 24, item 2): a key no rule reads, at any
level, is a ``ContextError`` naming its closest known key, and a value of the wrong type at any
depth is one too, in every API that takes a context and in the command's ``-c``. A context can
never silently turn off a rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import ixrules
from ixrules.api import default_rules
from ixrules.cli import main as cli
from ixrules.context import KEYS, Context, ContextError
from ixrules.http import preflight
from ixrules.pydantic import IXBody

#: The finding of issue 24: the rule needing ``account.mb_payment_provider`` was skipped.
TYPO = {"acount": {"mb_payment_provider": False}}
TYPO_SAYS = "unknown context key 'acount' (did you mean 'account'?)"
MB_BODY = {"invoice": {"mb_reference": "1"}}
URL = "https://acme.app.invoicexpress.com/invoices/42.json?api_key=k"
JSON = {"Content-Type": "application/json"}


def said(run: Any) -> str:
    with pytest.raises(ContextError) as caught:
        run()
    return str(caught.value)


def test_the_misspelt_account_is_an_error_not_a_skipped_rule() -> None:
    assert said(lambda: ixrules.validate(MB_BODY, "invoices.update", context=TYPO)) == TYPO_SAYS
    spelt = ixrules.validate(MB_BODY, "invoices.update", context={"account": TYPO["acount"]})
    assert spelt.messages == [
        "Option to generate MB reference is set but no payment provider is configurated"
    ]


@pytest.mark.parametrize(
    "run",
    [
        lambda: ixrules.validate(MB_BODY, "invoices.update", context=TYPO),
        lambda: default_rules().validate_parsed(MB_BODY, "invoices.update", context=TYPO),
        lambda: default_rules().validate(MB_BODY, context=TYPO),
        lambda: ixrules.check_request("PUT", URL, headers=JSON, body=MB_BODY, context=TYPO),
        lambda: preflight(httpx.Client(), context=TYPO),
        lambda: IXBody("invoices.update", context=TYPO),
    ],
    ids=["validate", "validate_parsed", "Rules.validate", "check_request", "preflight", "IXBody"],
)
def test_every_api_that_takes_a_context_checks_it(run: Any) -> None:
    assert said(run) == TYPO_SAYS


def test_a_bulk_run_checks_its_context_before_any_task() -> None:
    from ixrules.bulk import lint_bag

    assert said(lambda: lint_bag("nowhere/*.jsonl", context=TYPO)) == TYPO_SAYS


def test_a_preflight_context_function_is_checked_on_each_request() -> None:
    client = preflight(
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))),
        context=lambda: TYPO,
    )
    assert said(lambda: client.put(URL, json=MB_BODY)) == TYPO_SAYS


@pytest.mark.parametrize(
    ("context", "says", "path"),
    [
        (TYPO, TYPO_SAYS, ("acount",)),
        ({"account": {"mb_payment_providr": False}},
         "unknown context key 'account.mb_payment_providr' (did you mean "
         "'account.mb_payment_provider'?)", ("account", "mb_payment_providr")),
        ({"document": {"Status": "draft"}},
         "unknown context key 'document.Status' (did you mean 'document.status'?)",
         ("document", "Status")),
        ({"trial": True}, "unknown context key 'trial' (did you mean 'account.trial'?)",
         ("trial",)),
        ({"account.trial": True},
         "unknown context key 'account.trial' (context keys nest: write "
         '{"account": {"trial": ...}})', ("account.trial",)),
        ({"weather": "rain"},
         "unknown context key 'weather' (known here: account, document, documents_in_period, "
         "existing, fiscal_ids_in_use, now, owner_document, request, sequence)", ("weather",)),
        ({"existing": {"clients": [], "suppliers": []}},
         "unknown context key 'existing.suppliers' (known here: clients, items, sequences, "
         "taxes)", ("existing", "suppliers")),
        ({"request": {"x": 1}},
         "unknown context key 'request.x' (known here: content_type)", ("request", "x")),
        ({"w" * 500: 1}, f"unknown context key '{'w' * 100}...' (known here: account, document, "
         "documents_in_period, existing, fiscal_ids_in_use, now, owner_document, request, "
         "sequence)", ("w" * 500,)),
        ({1: True}, "context keys are strings, not int ('1')", (1,)),
    ],
)  # fmt: skip
def test_an_unknown_key_at_any_level(context: Any, says: str, path: tuple[Any, ...]) -> None:
    with pytest.raises(ContextError) as caught:
        Context(context)
    assert (str(caught.value), caught.value.path) == (says, path)


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_key_misspelt_is_caught_and_named(key: str) -> None:
    *parents, leaf = key.split(".")
    typo = leaf[:-1]  # the last letter dropped
    context: dict[str, Any] = {typo: None}
    for part in reversed(parents):
        context = {part: context}
    with pytest.raises(ContextError) as caught:
        ixrules.validate({"tax": {"name": "IVA23"}}, context=context)
    assert str(caught.value) == (
        f"unknown context key {'.'.join([*parents, typo])!r} (did you mean {key!r}?)"
    )


@pytest.mark.parametrize(
    ("context", "says", "path"),
    [
        ({"account": "Portugal"},
         "context key 'account' must be a mapping (of company_info_complete, country, fiscal_id, "
         "mb_payment_provider, trial), not a string", ("account",)),
        ({"existing": ["Acme"]},
         "context key 'existing' must be a mapping (of clients, items, sequences, taxes), not a "
         "list", ("existing",)),
        ({"existing": {"clients": ["Acme", 7]}},
         "context key 'existing.clients' must be a list of strings; item 1 is a number",
         ("existing", "clients", 1)),
        ({"fiscal_ids_in_use": [508025338]},
         "context key 'fiscal_ids_in_use' must be a list of strings; item 0 is a number",
         ("fiscal_ids_in_use", 0)),
        ({"existing": {"taxes": ["IVA23", None]}},
         "context key 'existing.taxes' must be a list of strings; item 1 is null",
         ("existing", "taxes", 1)),
        ({"existing": {"taxes": {"IVA0": "zero"}}},
         "context key 'existing.taxes' maps each name to its rate, a number; 'IVA0' has a "
         "string", ("existing", "taxes", "IVA0")),
        ({"existing": {"taxes": {"IVA0": False}}},
         "context key 'existing.taxes' maps each name to its rate, a number; 'IVA0' has a "
         "boolean", ("existing", "taxes", "IVA0")),
        ({"document": {"id": [7]}}, "context key 'document.id' must be a string or an integer, "
         "not list", ("document", "id")),
        ({"account": {"trial": "yes"}}, "context key 'account.trial' must be a boolean, not str",
         ("account", "trial")),
    ],
)  # fmt: skip
def test_a_wrong_type_at_any_depth(context: Any, says: str, path: tuple[Any, ...]) -> None:
    with pytest.raises(ContextError) as caught:
        ixrules.validate({"tax": {"name": "IVA23"}}, context=context)
    assert (str(caught.value), caught.value.path) == (says, path)


def test_null_is_absent_at_any_level_and_good_contexts_still_pass() -> None:
    assert Context({"account": None, "existing": {"clients": None}}).has("account.trial") is False
    context = {
        "account": {"trial": True, "country": "PT", "fiscal_id": "508025338"},
        "existing": {"clients": ["Acme"], "taxes": {"IVA0": 0, "IVA6": "6", "IVA23": 23.0}},
        "fiscal_ids_in_use": [],
        "document": {"id": 7, "status": "final"},
        "documents_in_period": 0,
        "now": "2017-12-02T09:00:00",
        "request": {"content_type": "application/json"},
    }
    assert ixrules.validate({"client": {"name": "Globex"}}, context=context).ok


def test_every_rule_example_s_context_is_a_good_one() -> None:
    for rule in default_rules().ruleset.rules.values():
        if rule.example and rule.example.get("context") is not None:
            Context(rule.example["context"])


# --- the command's -c, and the configuration's contexts -----------------------------------


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["lint", "--no-config", "--no-progress", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_refuses_the_misspelt_context_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    context = tmp_path / "ctx.json"
    context.write_text('{\n  "acount": {"mb_payment_provider": false}\n}\n')
    body = tmp_path / "body.json"
    body.write_text('{"invoice": {"mb_reference": "1"}}')
    code, out, err = lint(capsys, "-e", "invoices.update", "-c", str(context), str(body))
    assert (code, out) == (2, "")
    assert err == f"ixrules: error: context {context}:2:13: error: {TYPO_SAYS}\n"
    context.write_text('{"account": {"mb_payment_provider": false}}')
    code, out, _ = lint(capsys, "-e", "invoices.update", "-c", str(context), str(body))
    assert code == 1 and "[document.mb_reference.provider]" in out


def test_a_wrong_type_deep_in_the_context_file_is_placed_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    context = tmp_path / "ctx.json"
    context.write_text('{"existing": {\n  "clients": [\n    "Acme",\n    7\n  ]}}')
    body = tmp_path / "body.json"
    body.write_text('{"client": {"name": "Acme"}}')
    code, out, err = lint(capsys, "-c", str(context), str(body))
    assert (code, out) == (2, "")
    assert err == (
        f"ixrules: error: context {context}:4:5: error: context key 'existing.clients' must be "
        "a list of strings; item 1 is a number\n"
    )


def test_a_configuration_s_context_is_checked_before_any_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ctx.json").write_text('{"documnet": {"status": "draft"}}')
    (tmp_path / ".ixrules.yaml").write_text(
        "files:\n  - {match: '*.json', endpoint: invoices.update, context: ctx.json}\n"
    )
    (tmp_path / "body.json").write_text('{"invoice": {"mb_reference": "1"}}')
    monkeypatch.chdir(tmp_path)
    code = cli.main(["lint", "--no-progress", "--config", ".ixrules.yaml", "body.json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        f"ixrules: error: broken configuration: .ixrules.yaml:2: context "
        f"{tmp_path / 'ctx.json'}:1:14: error: unknown context key 'documnet' (did you mean "
        "'document'?)\n"
    )
