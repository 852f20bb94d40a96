"""A rule pack that names something that does not exist (a fragment, an endpoint, a field to
extend, a check, a rule id to override or use) is a load error with the file, the line and the
closest names that do exist: never a pack that loads and whose rules never run (issue 25)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import ixrules
from ixrules.ruleformat.errors import RuleFileError, did_you_mean

LONG_NAME = {
    "invoice": {
        "date": "01/01/2024",
        "client": {"name": "A very long client name", "code": "1"},
        "items": [{"name": "Pen", "unit_price": 1, "quantity": 1}],
    }
}
MAX_LENGTH = (
    "{id: acme.name.short, message: Name is too long, check: max_length, args: {maximum: 5}}"
)


def load_error(tmp_path: Path, text: str) -> str:
    pack = tmp_path / "pack.yaml"
    pack.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        ixrules.Rules.load(packs=[pack])
    assert caught.value.file == str(pack)
    return f"{caught.value.line}: {caught.value.problem}"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (  # the issue's example: `client` is no fragment, so the rule never ran
            f"fragments: {{client: {{fields: {{name: {{rules: [{MAX_LENGTH}]}}}}}}}}\n",
            "1: fragment 'client' extends nothing (no fragment has that name) and no endpoint "
            "uses it; did you mean 'client_body', 'client_email' or 'document_client'?",
        ),
        (
            "fragments:\n  documnet_client:\n    fields:\n      name:\n"
            f"        rules: [{MAX_LENGTH}]\n",
            "2: fragment 'documnet_client' extends nothing (no fragment has that name) and no "
            "endpoint uses it; did you mean 'document_client'?",
        ),
        (
            "fragments:\n  document_client:\n    fields:\n      nmae:\n"
            f"        rules: [{MAX_LENGTH}]\n",
            "4: no field 'nmae' to extend: the object has no such key (the API drops keys it "
            "does not know); did you mean 'name'?",
        ),
        (
            "endpoints:\n  - paths: [client]\n    actions:\n      create:\n"
            f"        extend: {{fields: {{name: {{rules: [{MAX_LENGTH}]}}}}}}\n",
            "2: no endpoint 'client.create' to extend: no endpoint has the path 'client' "
            "(a new one gives a body); did you mean 'clients'?",
        ),
        (
            "endpoints:\n  - paths: [clients]\n    actions:\n      craete:\n"
            f"        extend: {{fields: {{name: {{rules: [{MAX_LENGTH}]}}}}}}\n",
            "4: no endpoint 'clients.craete' to extend: clients has no action 'craete' "
            "(a new one gives a body); did you mean 'create'?",
        ),
        (
            "endpoints:\n  - paths: [clients]\n    actions:\n      create:\n"
            f"        extend: {{fields: {{fxa: {{rules: [{MAX_LENGTH}]}}}}}}\n",
            "5: no field 'fxa' to extend: the object has no such key (the API drops keys it "
            "does not know); did you mean 'fax'?",
        ),
        (
            "rules:\n  - {id: acme.x.y, message: Mine, check: max_lenght, args: {maximum: 5}}\n",
            "2: no check named 'max_lenght' in the registry or an installed plugin (entry point "
            "group ixrules.checks); did you mean 'max_length'?",
        ),
        (
            "rules:\n  - {id: item.quantity.positiv, override: true, message: Mine}\n",
            "2: override: true, but no rule 'item.quantity.positiv' to replace; did you mean "
            "'item.quantity.positive'?",
        ),
        (
            "fragments:\n  item_line:\n    fields:\n      quantity:\n"
            "        rules: [item.quantity.positiv]\n",
            "5: rule 'item.quantity.positiv' is not defined (yet); did you mean "
            "'item.quantity.positive'?",
        ),
        (
            "fragments:\n  document:\n    fields:\n      client: {use: documnet_client}\n",
            "4: a field that is already defined cannot 'use' another",
        ),
        (
            "fragments:\n  acme_note:\n    use: documnet_client\n"
            "endpoints:\n  - paths: [acme_notes]\n    actions:\n"
            "      create: {body: acme_note, mode: create}\n",
            "3: no fragment named 'documnet_client'; did you mean 'document_client'?",
        ),
    ],
    ids=[
        "fragment",
        "fragment typo",
        "field of a fragment",
        "endpoint path",
        "endpoint action",
        "field of an endpoint",
        "check",
        "override",
        "rule id",
        "use in an extension",
        "use",
    ],
)
def test_a_pack_naming_what_does_not_exist_is_a_load_error(
    tmp_path: Path, text: str, said: str
) -> None:
    assert load_error(tmp_path, text) == said


def test_the_issue_pack_once_named_right_runs_its_rule(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        f"fragments: {{document_client: {{fields: {{name: {{rules: [{MAX_LENGTH}]}}}}}}}}\n",
        encoding="utf-8",
    )
    rules = ixrules.Rules.load(packs=[pack])
    assert rules.validate(LONG_NAME, "invoices.create").messages == [
        "Client is invalid",
        "Name is too long",
    ]


def test_a_new_fragment_an_endpoint_uses_and_a_field_of_an_open_object_still_load(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        textwrap.dedent(
            """
            fragments:
              acme_contact:
                fields:
                  phone: {rules: [{id: acme.contact.phone, message: No phone, check: string}]}
              acme_note:
                fields:
                  contact: {use: acme_contact}
            endpoints:
              - paths: [acme_notes]
                actions:
                  create: {body: acme_note, mode: create}
            """
        ),
        encoding="utf-8",
    )
    rules = ixrules.Rules.load(packs=[pack])
    report = rules.validate({"acme_note": {"contact": {"phone": 5}}}, "acme_notes.create")
    assert report.messages == ["No phone"]


def test_did_you_mean_is_empty_when_nothing_is_close() -> None:
    assert did_you_mean("weather", ["document_client", "item_line"]) == ""
    assert did_you_mean("x" * 200, ["x" * 200 + "y"]) == ""
