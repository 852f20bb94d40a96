"""Issue 27 item 7: a plugin check is a clear failure, never a silent exit or a raw exception, and
never changes the caller's data. Before: ``sys.exit(0)`` in a check (at import, or on one value,
also with ``--jobs 2``) made ``ixrules lint`` exit 0 with no output, plugin exceptions escaped
the API raw, and a check could change the caller's body.
"""

from __future__ import annotations

import copy
import json
import pickle
import textwrap
from pathlib import Path

import pytest
from cli_runner import Run, run_all
from support.plugins import installed_plugin

import ixrules
from ixrules.checks import Check, Env
from ixrules.context import Context
from ixrules.ruleformat.guarded import PluginCall, guarded

BODY = {
    "invoice": {
        "date": "01/01/2024",
        "client": {"name": "A", "code": "AC-1"},
        "items": [{"name": "Pen", "unit_price": 1, "quantity": 1}],
    }
}
CONTEXT = {"existing": {"clients": ["Zé"]}}

PLUGIN = '''
import sys

if "{start}" == "exit":
    sys.exit(0)
if "{start}" == "interrupt":
    raise KeyboardInterrupt


def house_code(value, env, *, prefix):
    """True for codes that start with the house prefix; some codes make it misbehave."""
    if value == "EXIT":
        sys.exit(0)
    if value == "INTERRUPT":
        raise KeyboardInterrupt
    if value == "BOOM":
        raise ValueError("boom")
    return isinstance(value, str) and value.startswith(prefix)


def meddle(value, env):
    """Changes what it is given: the client object and a list of the context."""
    value["name"] = "changed"
    value.setdefault("extra", []).append(1)
    listed = env.context.get("existing.clients")
    if isinstance(listed, list):
        listed.append("changed")
    return True
'''

PACK = """
fragments:
  document_client:
    rules:
      - id: acme.client.meddled
        message: Meddled
        check: meddle
    fields:
      code:
        rules:
          - id: acme.client.code.house
            message: Client code {value} is not an Acme code
            check: house_code
            args: {prefix: "AC-"}
"""


def install(root: Path, start: str = "") -> tuple[Path, Path]:
    """A plugin package on a folder to put on the path (a module named after the folder, so
    that each test imports its own), and a pack using its two checks."""
    module = f"plugin_{abs(hash(str(root))):x}_{start or 'plain'}"
    checks = {"house_code": f"{module}:house_code", "meddle": f"{module}:meddle"}
    site = installed_plugin(root / "site", module, PLUGIN.format(start=start), checks)
    pack = root / "pack.yaml"
    pack.write_text(textwrap.dedent(PACK), encoding="utf-8")
    return site, pack


def with_code(code: str) -> dict[str, object]:
    body = copy.deepcopy(BODY)
    body["invoice"]["client"]["code"] = code  # type: ignore[index]
    return body


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ixrules.Rules:
    site, pack = install(tmp_path)
    monkeypatch.syspath_prepend(str(site))
    return ixrules.Rules.load(packs=[pack])


@pytest.mark.parametrize("executor", ["fast", "cerberus"])
@pytest.mark.parametrize(
    ("code", "said"),
    [("EXIT", "SystemExit: 0"), ("INTERRUPT", "KeyboardInterrupt"), ("BOOM", "ValueError: boom")],
)
def test_what_a_check_raises_is_a_plugin_error(
    rules: ixrules.Rules, executor: str, code: str, said: str
) -> None:
    chosen = ixrules.Rules(rules.ruleset, executor=executor)
    with pytest.raises(ixrules.PluginError) as raised:
        chosen.validate(with_code(code), "invoices.create", context=CONTEXT)
    assert str(raised.value) == f"check plugin 'house_code' failed: {said}"
    assert raised.value.check == "house_code"
    assert chosen.validate(with_code("X-1"), "invoices.create").messages == [
        "Client is invalid",
        "Client code X-1 is not an Acme code",
    ]


@pytest.mark.parametrize("executor", ["fast", "cerberus"])
def test_a_check_cannot_change_the_caller_s_data(rules: ixrules.Rules, executor: str) -> None:
    body, context = copy.deepcopy(BODY), copy.deepcopy(CONTEXT)
    report = ixrules.Rules(rules.ruleset, executor=executor).validate(
        body, "invoices.create", context=context
    )
    assert report.ok
    assert (body, context) == (BODY, CONTEXT)


def test_a_rule_set_with_plugin_checks_still_pickles(rules: ixrules.Rules) -> None:
    again = pickle.loads(pickle.dumps(rules))
    assert again.validate(with_code("X-1"), "invoices.create").messages[-1] == (
        "Client code X-1 is not an Acme code"
    )
    with pytest.raises(ixrules.PluginError):
        again.validate(with_code("BOOM"), "invoices.create")


@pytest.mark.parametrize(
    ("start", "said"), [("exit", "SystemExit: 0"), ("interrupt", "KeyboardInterrupt")]
)
def test_a_plugin_that_exits_when_imported_is_a_rule_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str, said: str
) -> None:  # fmt: skip
    site, pack = install(tmp_path, start)
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(ixrules.RuleFileError) as raised:
        ixrules.Rules.load(packs=[pack])
    assert str(raised.value).endswith(f"cannot load: {said}")
    assert str(raised.value).startswith(f"{pack}:7: check plugin 'meddle' (plugin_")


def test_a_hint_is_called_the_same_way() -> None:
    def hint(value: object) -> str:
        raise SystemExit(3)

    check = guarded(Check("coded", lambda value, env: True, hint))
    assert isinstance(check.fn, PluginCall) and check.fn(None, Env(Context(), "create"))
    assert check.hint is not None
    with pytest.raises(ixrules.PluginError, match=r"^check plugin 'coded' failed: SystemExit: 3$"):
        check.hint("x")


# --- the command ------------------------------------------------------------------------------


def test_the_command_fails_with_exit_2_and_says_why(tmp_path: Path) -> None:
    site, pack = install(tmp_path)
    exiting, _ = install(tmp_path / "at-import", "exit")
    lines = "".join(json.dumps(with_code(code)) + "\n" for code in ("AC-1", "EXIT", "X-1"))
    (tmp_path / "a.jsonl").write_text(lines, encoding="utf-8")
    lint = ["lint", "--no-progress", "--no-config", "--pack", str(pack), "a.jsonl"]
    env = {"PYTHONPATH": str(site)}
    runs = {
        "one": Run(lint, env=env, cwd=tmp_path),
        "two": Run([*lint[:1], "--jobs", "2", *lint[1:]], env=env, cwd=tmp_path),
        "import": Run(lint, env={"PYTHONPATH": str(exiting)}, cwd=tmp_path),
    }
    ran = run_all(runs)
    failed = (
        "a.jsonl:2:1: error: cannot validate: check plugin 'house_code' failed: SystemExit: 0\n"
    )
    for name in ("one", "two"):
        assert ran[name].code == 2, ran[name]
        assert ran[name].err == failed
        assert "a.jsonl:3:" in ran[name].out  # the other lines are checked still
    assert (ran["import"].code, ran["import"].out) == (2, "")
    assert ran["import"].err.startswith(
        "ixrules: error: broken rule file: pack.yaml:7: check plugin 'meddle' ("
    )
    assert ran["import"].err.endswith("cannot load: SystemExit: 0\n")


DECORATED = '''
from ixrules.checks import check


def _refuse(args):
    raise RuntimeError("cannot judge " + repr(sorted(args)))


@check("emptied", inline=lambda args, value, source: f"{value}.clear() is None")
def emptied(value, env):
    """Always passes; its inline form would empty the value where it is."""
    return True


@check("picky", arguments=_refuse)
def picky(value, env, *, level: int):
    return True
'''


def decorated(root: Path, rule: str) -> Path:
    """A plugin whose checks carry facts (the decorator's), and a pack naming one."""
    module = f"decorated_{abs(hash(str(root))):x}"
    checks = {"emptied": f"{module}:emptied", "picky": f"{module}:picky"}
    site = installed_plugin(root / "site", module, DECORATED, checks)
    pack = root / "pack.yaml"
    pack.write_text(
        "fragments:\n  document_client:\n    rules:\n      - id: acme.client.x\n"
        f"        message: X\n        {rule}\n",
        encoding="utf-8",
    )
    return site


def test_a_plugin_s_inline_form_is_not_run_in_place_of_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(decorated(tmp_path, "check: emptied")))
    rules = ixrules.Rules.load(packs=[tmp_path / "pack.yaml"])
    body = copy.deepcopy(BODY)
    assert rules.validate(body, "invoices.create").ok
    assert body == BODY
    assert "clear()" not in rules.source("invoices.create")


def test_a_plugin_s_other_facts_fail_as_plugin_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(decorated(tmp_path, "check: picky\n        args: {level: 1}")))
    with pytest.raises(ixrules.PluginError) as raised:
        ixrules.Rules.load(packs=[tmp_path / "pack.yaml"])
    assert str(raised.value) == "check plugin 'picky' failed: RuntimeError: cannot judge ['level']"
