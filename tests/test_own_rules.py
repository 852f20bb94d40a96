"""Rule packs layered on the shipped rules, and the project configuration that names them: in
the API, and end to end through the command (in this process, and the installed script for
a plugin's site and the Portuguese pack)."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_runner import Run, command, environment, run, run_all
from support.plugins import installed_plugin

import ixrules
from ixrules.api import rules_dir
from ixrules.checks import CHECKS
from ixrules.config import (
    ConfigError,
    SeveritySetting,
    discover,
    glob_regex,
    load_config,
    parse_config,
)
from ixrules.ruleformat.builder import load_rule_dir
from ixrules.ruleformat.errors import RuleFileError
from ixrules.ruleformat.reading import pack_texts
from ixrules.ruleformat.severities import apply_severities

HERE = Path(__file__).resolve().parent
ACME = HERE / "fixtures" / "own" / "acme.yaml"

GOOD_ITEM = {"name": "Pen", "unit_price": 1, "quantity": 1}
CREATE = {
    "invoice": {"date": "01/01/2024", "client": {"name": "A", "code": "1"}, "items": [GOOD_ITEM]}
}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def found(report: ixrules.Report) -> list[tuple[str, str, str, str]]:
    return [(i.message, i.path, i.rule or "", i.severity) for i in report.issues]


@pytest.fixture(scope="module")
def acme() -> ixrules.Rules:
    return ixrules.Rules.load(extra=[ACME])


# --- layering ---------------------------------------------------------------------------


def test_a_pack_adds_a_required_field_to_a_shipped_fragment(acme: ixrules.Rules) -> None:
    report = acme.validate(CREATE, "invoices.create")
    assert found(report) == [
        ("Due date can't be blank", "/invoice/due_date", "acme.due_date.required", "error")
    ]
    assert acme.validate(CREATE, "invoices.create", locale="pt").messages == [
        "A data de vencimento não pode estar em branco"
    ]
    dated = {"invoice": {**CREATE["invoice"], "due_date": "02/01/2024"}}
    assert acme.validate(dated, "invoices.create").ok
    assert acme.validate({"invoice": {"date": "01/01/2024"}}, "invoices.update").ok  # create only


def test_the_shipped_rules_of_an_extended_field_still_run(acme: ixrules.Rules) -> None:
    body = {"invoice": {**CREATE["invoice"], "due_date": "31/02/2024"}}
    assert found(acme.validate(body, "invoices.create")) == [
        ("Should be a date written dd/mm/yyyy", "/invoice/due_date", "kind.date", "warning")
    ]


def test_a_pack_adds_rules_and_new_fields_with_their_own_severity(acme: ixrules.Rules) -> None:
    item = {**GOOD_ITEM, "discount": 25, "tax": {"name": "VAT"}}
    body = {"invoice": {**CREATE["invoice"], "due_date": "02/01/2024", "items": [item]}}
    assert found(acme.validate(body, "invoices.create")) == [
        ("Invoice items is invalid", "/invoice/items", "document.items.invalid", "error"),
        (
            "Discount must be at most 20%",
            "/invoice/items/0/discount",
            "acme.discount.maximum",
            "error",
        ),
        (
            "Tax VAT is not one of Acme's taxes",
            "/invoice/items/0/tax/name",
            "acme.tax.house",
            "warning",
        ),
    ]
    assert acme.validate(body, "invoices.create", locale="pt_PT").messages == [
        "Itens da fatura não são válidos",
        "O desconto não pode passar de 20%",
    ]
    fine = {**item, "discount": 20, "tax": {"name": "IVA23"}}
    assert acme.validate({"invoice": {**body["invoice"], "items": [fine]}}, "invoices.create").ok
    assert acme.ruleset.rules["acme.tax.house"].source == "user"


def test_the_shipped_rules_are_untouched_by_a_pack(acme: ixrules.Rules) -> None:
    assert ixrules.validate(CREATE, "invoices.create").ok
    shipped = ixrules.Rules.load()
    assert set(acme.ruleset.rules) - set(shipped.ruleset.rules) == {
        "acme.due_date.required",
        "acme.discount.maximum",
        "acme.tax.house",
    }


def test_an_override_replaces_a_shipped_rule_everywhere(tmp_path: Path) -> None:
    pack = write(
        tmp_path,
        "mine.yaml",
        """
        rules:
          - id: item.quantity.positive
            override: true
            message: {en: "Quantity must be at least 1", pt: "A quantidade tem de ser pelo menos 1"}
            check: number
            args: {gte: 1}
        """,
    )
    rules = ixrules.Rules.load(extra=[pack])
    body = {"invoice": {**CREATE["invoice"], "items": [{**GOOD_ITEM, "quantity": 0.5}]}}
    report = rules.validate(body, "invoices.create")
    assert found(report)[1:] == [
        (
            "Quantity must be at least 1",
            "/invoice/items/0/quantity",
            "item.quantity.positive",
            "error",
        )
    ]
    assert rules.validate(body, "invoices.create", locale="pt").messages[1] == (
        "A quantidade tem de ser pelo menos 1"
    )
    assert rules.ruleset.rules["item.quantity.positive"].origin == f"{pack}:3"


def test_a_pack_extends_an_endpoint_and_adds_one(tmp_path: Path) -> None:
    pack = write(
        tmp_path,
        "mine.yaml",
        """
        fragments:
          acme_note:
            fields:
              text:
                required: {id: acme.note.text.required, message: Text can't be blank}
        endpoints:
          - paths: [clients]
            actions:
              create:
                extend:
                  fields:
                    fax:
                      rules:
                        - id: acme.client.fax
                          message: No faxes
                          check: field_blank
                          args: {field: fax}
          - paths: [acme_notes]
            actions:
              create: {body: acme_note, mode: create}
        """,
    )
    rules = ixrules.Rules.load(extra=[pack])
    assert rules.validate({"acme_note": {}}, "acme_notes.create").messages == [
        "Text can't be blank"
    ]
    assert "acme_notes.create" in rules.endpoints()
    assert rules.ruleset.rule_endpoints["acme.client.fax"] == ("clients.create",)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            "rules:\n  - {id: item.quantity.positive, message: Mine}\n",
            2,
            "rule id 'item.quantity.positive' already defined at",
        ),
        (
            "rules:\n  - {id: acme.x.y, override: true, message: Mine}\n",
            2,
            "override: true, but no rule 'acme.x.y' to replace",
        ),
        (
            "rules:\n  - {id: acme.x.y, message: Mine, check: nothing_like_it}\n",
            2,
            "no check named 'nothing_like_it' in the registry or an installed plugin",
        ),
        (
            "fragments:\n  document:\n    fields:\n      client:\n"
            "        required: {id: acme.client.required, message: Mine}\n",
            5,
            "this field already has the required rule 'document.client.required'",
        ),
        (
            "rules:\n  - id: acme.x.y\n    message: {pt: Meu}\n",
            3,
            "message lacks its English text ('en')",
        ),
        (
            "rules:\n  - id: acme.x.y\n    message: {en: 'A {name}'}\n",
            3,
            "message uses unknown placeholder(s) ['name']",
        ),
        (
            "endpoints:\n  - paths: [invoices]\n    actions:\n      create: {body: document}\n",
            4,
            "endpoint 'invoices.create' is already defined at",
        ),
        ("fragments:\n  document:\n    use: item_line\n", 3, "cannot 'use' another"),
    ],
)
def test_a_broken_pack_says_file_line_and_what(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    pack = write(tmp_path, "bad.yaml", text)
    with pytest.raises(RuleFileError) as caught:
        ixrules.Rules.load(extra=[pack])
    assert (caught.value.file, caught.value.line) == (str(pack), line), caught.value
    assert problem in caught.value.problem


def test_a_pack_cannot_name_a_taken_id_and_the_error_names_both_places(tmp_path: Path) -> None:
    pack = write(tmp_path, "bad.yaml", "rules:\n  - {id: item.quantity.positive, message: Mine}\n")
    with pytest.raises(RuleFileError) as caught:
        ixrules.Rules.load(extra=[pack])
    assert str(caught.value).startswith(f"{pack}:2: rule id 'item.quantity.positive' already ")
    assert "fragments.yaml:" in str(caught.value)
    assert str(caught.value).endswith("; give override: true to replace it")


# --- severity and ignore -------------------------------------------------------------------


def test_levels_re_level_or_drop_rules_when_the_rule_set_is_built() -> None:
    shipped = load_rule_dir(rules_dir())
    changed = apply_severities(
        shipped,
        [
            SeveritySetting("item.quantity.positive", "warning"),
            SeveritySetting("document.items.*", "off"),
        ],
    )
    rules = ixrules.Rules(changed)
    body = {"invoice": {**CREATE["invoice"], "items": [{**GOOD_ITEM, "quantity": 0}]}}
    assert found(rules.validate(body, "invoices.create")) == [
        (
            "Quantity must be a number greater than 0",
            "/invoice/items/0/quantity",
            "item.quantity.positive",
            "warning",
        )
    ]
    assert "document.items.invalid" not in changed.rules
    assert shipped.rules["item.quantity.positive"].severity == "error"  # nothing mutated


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("item.quantity.positiv", "'item.quantity.positiv' matches no rule id"),
        ("Item.*", "'Item.*' is no rule id or glob of ids (lower-case words, dots, *)"),
    ],
)
def test_a_level_that_names_no_rule_is_an_error(pattern: str, problem: str) -> None:
    shipped = load_rule_dir(rules_dir())
    with pytest.raises(RuleFileError) as caught:
        apply_severities(shipped, [SeveritySetting(pattern, "off", ".ixrules.yaml", 4)])
    assert str(caught.value) == f".ixrules.yaml:4: {problem}"


# --- plugins -------------------------------------------------------------------------------


def make_plugin(folder: Path) -> Path:
    """A tiny installed-looking package: a module and its dist-info with an entry point."""
    return installed_plugin(
        folder,
        "acme_checks",
        '''
        def house_code(value, env, *, prefix):
            """True for codes that start with the house prefix."""
            return isinstance(value, str) and value.startswith(prefix)
        ''',
        {"house_code": "acme_checks:house_code", "acme": "acme_checks"},
    )


PLUGIN_PACK = """
fragments:
  document_client:
    fields:
      code:
        rules:
          - id: acme.client.code.house
            message: Client code {value} is not an Acme code
            check: house_code
            args: {prefix: "AC-"}
"""


def test_a_plugin_check_is_used_by_a_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(make_plugin(tmp_path / "site")))
    pack = write(tmp_path, "mine.yaml", PLUGIN_PACK)
    rules = ixrules.Rules.load(extra=[pack])
    assert rules.validate(CREATE, "invoices.create").messages == [
        "Client is invalid",
        "Client code 1 is not an Acme code",
    ]
    body = {"invoice": {**CREATE["invoice"], "client": {"name": "A", "code": "AC-1"}}}
    assert rules.validate(body, "invoices.create").ok
    assert "house_code" not in CHECKS  # the registry is not changed
    assert set(rules.ruleset.checks) == {"house_code"}
    cerberus = ixrules.Rules(rules.ruleset, executor="cerberus")
    assert cerberus.validate(CREATE, "invoices.create").messages == [
        "Client is invalid",
        "Client code 1 is not an Acme code",
    ]


def test_a_plugin_check_with_wrong_arguments_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(make_plugin(tmp_path / "site")))
    pack = write(tmp_path, "mine.yaml", PLUGIN_PACK.replace("prefix:", "prefx:"))
    with pytest.raises(RuleFileError) as caught:
        ixrules.Rules.load(extra=[pack])
    assert str(caught.value) == (
        f"{pack}:9: check 'house_code' takes no argument(s) ['prefx'] (it takes ['prefix'])"
    )


# --- the configuration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("rules: [x]\ncolour: red\n", 2, "unknown key 'colour' (known: rules, ignore, severity"),
        ("strict: yes please\n", 1, "strict must be true or false"),
        ("ignore: guide.*\n", 1, "ignore must be a list of rule ids or globs"),
        (
            "severity:\n  kind.date: loud\n",
            2,
            "severity of 'kind.date' must be error, warning or off",
        ),
        ("exclude: ['fixtures/[ab']\n", 1, "bad glob 'fixtures/[ab': unclosed '['"),
        (
            "files:\n  - {match: '*.json', endpont: x}\n",
            2,
            "unknown key 'endpont' in a files entry",
        ),
        ("files:\n  - {endpoint: invoices.update}\n", 2, "a files entry needs match: GLOB"),
        (
            "files:\n  - match: '*.json'\n    context: nowhere.json\n",
            3,
            "context file 'nowhere.json' not found",
        ),
        ("rules:\n  - missing/\n", 2, "rule pack 'missing/' not found"),
        ("rules: [\n", 2, "not valid YAML"),
    ],
)
def test_a_broken_configuration_says_file_line_and_what(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(".ixrules.yaml", text, root=str(tmp_path))
    assert (caught.value.file, caught.value.line) == (".ixrules.yaml", line), caught.value
    assert problem in caught.value.problem


def test_pyproject_errors_have_the_line_of_the_key(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.ixrules]\nrules = []\nstrict = "yes"\n'
    with pytest.raises(ConfigError) as caught:
        parse_config("pyproject.toml", text, root=str(tmp_path), toml=True)
    assert str(caught.value) == "pyproject.toml:6: strict must be true or false"
    text = '[tool.ixrules]\nstrict = true\n\n[tool.ixrules.severity]\n"kind.date" = "loud"\n'
    with pytest.raises(ConfigError) as caught:
        parse_config("pyproject.toml", text, root=str(tmp_path), toml=True)
    assert str(caught.value) == (
        "pyproject.toml:5: severity of 'kind.date' must be error, warning or off"
    )
    text = (
        '[tool.ixrules]\n[[tool.ixrules.files]]\nmatch = "a/*"\n'
        '[[tool.ixrules.files]]\nendpoint = "x"\n'
    )
    with pytest.raises(ConfigError) as caught:
        parse_config("pyproject.toml", text, root=str(tmp_path), toml=True)
    assert str(caught.value) == "pyproject.toml:4: a files entry needs match: GLOB"


def test_a_cycle_of_included_configurations_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a/.ixrules.yaml", "rules: [../b]\n")
    write(tmp_path, "b/.ixrules.yaml", "rules: [../a/.ixrules.yaml]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "a" / ".ixrules.yaml")
    assert caught.value.line == 1
    assert caught.value.problem.startswith("the rules include each other: ")
    assert caught.value.file.endswith("b/.ixrules.yaml")


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path, ".ixrules.yaml", "strict: true\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "deep" / "down").mkdir(parents=True)
    assert discover(tmp_path / "repo" / "deep" / "down") is None
    write(tmp_path, "repo/pyproject.toml", '[project]\nname = "x"\n')
    assert discover(tmp_path / "repo" / "deep") is None  # no [tool.ixrules] table
    write(tmp_path, "repo/pyproject.toml", '[project]\nname = "x"\n[tool.ixrules]\nstrict = true\n')
    assert discover(tmp_path / "repo" / "deep") == (tmp_path / "repo" / "pyproject.toml").resolve()
    write(tmp_path, "repo/deep/.ixrules.yaml", "strict: false\n")
    assert (
        discover(tmp_path / "repo" / "deep" / "down")
        == (tmp_path / "repo" / "deep" / ".ixrules.yaml").resolve()
    )


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("package.json", "package.json", True),
        ("package.json", "web/app/package.json", True),
        ("fixtures/*.json", "fixtures/a.json", True),
        ("fixtures/*.json", "fixtures/deep/a.json", False),
        ("fixtures/**/*.json", "fixtures/deep/down/a.json", True),
        ("fixtures/**/*.json", "fixtures/a.json", True),
        ("node_modules", "web/node_modules/x/y.json", True),
        ("/a.json", "sub/a.json", False),
        ("./fixtures/*.json", "fixtures/a.json", True),
        ("update_[0-9].json", "update_7.json", True),
        ("update_[!0-9].json", "update_7.json", False),
    ],
)
def test_globs(pattern: str, path: str, matched: bool) -> None:
    assert bool(glob_regex(pattern).match(path)) is matched


def test_the_last_matching_files_entry_wins_per_key(tmp_path: Path) -> None:
    context = write(tmp_path, "ctx.json", "{}")
    config = parse_config(
        ".ixrules.yaml",
        """
        files:
          - {match: "**/*.json", endpoint: invoices.create, context: ctx.json}
          - {match: "updates/*.json", endpoint: invoices.update}
        """,
        root=str(tmp_path),
    )
    update = str(tmp_path / "updates" / "u.json")
    assert config.endpoint_for(update) == "invoices.update"
    assert config.context_for(update) == str(context)
    assert config.endpoint_for(str(tmp_path / "c.json")) == "invoices.create"
    assert config.endpoint_for("/elsewhere/c.json") is None


def test_from_config_checks_the_endpoints_of_files(tmp_path: Path) -> None:
    path = write(tmp_path, ".ixrules.yaml", "files:\n  - {match: '*', endpoint: invoices.craete}\n")
    with pytest.raises(ConfigError) as caught:
        ixrules.Rules.from_config(path)
    assert caught.value.line == 2
    assert caught.value.problem == "unknown endpoint 'invoices.craete'"


def test_check_request_and_forms_take_the_configured_rules(tmp_path: Path) -> None:
    pack = write(tmp_path, "pack/acme.yaml", ACME.read_text(encoding="utf-8"))
    path = write(tmp_path, ".ixrules.yaml", "rules: [pack]\nseverity: {acme.tax.house: 'off'}\n")
    rules = ixrules.Rules.from_config(path)
    assert rules.config is not None and rules.config.packs == (str(pack.parent.resolve()),)
    assert "acme.tax.house" not in rules.ruleset.rules
    report = ixrules.check_request(
        "POST",
        "https://acme.app.invoicexpress.com/invoices.json?api_key=k",
        headers={"Content-Type": "application/json"},
        body=CREATE,
        rules=rules,
    )
    assert report.messages == ["Due date can't be blank"]
    from ixrules.forms import number_fields

    assert "invoice.items.*.discount" in number_fields("invoices.create", rules=rules)


def test_pack_texts_reads_folders_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "doc: b\n")
    write(tmp_path, "a.yaml", "doc: a\n")
    assert [Path(name).name for name, _ in pack_texts([tmp_path])] == ["a.yaml", "b.yaml"]
    with pytest.raises(RuleFileError, match="nothing:1: cannot read"):
        pack_texts([tmp_path / "a.yaml", tmp_path / "nothing"])


# --- end to end, through the command (the Portuguese pack's test: the installed script) -----------


def lint(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """One run of the command (in this process unless it needs one: tests/cli_runner.py)."""
    done = run(Run(list(args), cwd=cwd, env={"NO_COLOR": "1", **(env or {})}))
    return done.code, done.out, done.err


def lint_many(*calls: tuple[Path, tuple[str, ...]]) -> list[tuple[int, str, str]]:
    """Several runs of the command."""
    runs = {
        str(at): Run(list(args), cwd=cwd, env={"NO_COLOR": "1"})
        for at, (cwd, args) in enumerate(calls)
    }
    return [(done.code, done.out, done.err) for done in run_all(runs).values()]


def project(root: Path, config_name: str, config: str) -> Path:
    """A fixture project: a git root, a pack, a mixed folder of creates and updates, and a
    package.json that is no payload."""
    (root / ".git").mkdir(parents=True)
    write(root, "ixrules/acme.yaml", ACME.read_text(encoding="utf-8"))
    write(root, config_name, config)
    write(root, "package.json", '{"name": "web", "version": "1.0.0"}\n')
    write(root, "ctx/draft.json", '{"document": {"status": "draft"}}\n')
    dated = {"invoice": {**CREATE["invoice"], "due_date": "02/01/2024"}}
    write(root, "fixtures/create_ok.json", json.dumps(dated))
    write(root, "fixtures/create_undated.json", json.dumps(CREATE))
    write(root, "fixtures/updates/date.json", '{"invoice": {"date": "02/01/2024"}}\n')
    return root


YAML_CONFIG = """
rules: [ixrules]
ignore: [document.items.*]
severity:
  field.unknown: warning
  acme.due_date.required: warning
files:
  - match: "fixtures/updates/*.json"
    endpoint: invoices.update
exclude: [package.json, ctx]
"""

TOML_CONFIG = """
[project]
name = "web"

[tool.ixrules]
rules = ["ixrules"]
ignore = ["document.items.*"]
exclude = ["package.json", "ctx"]

[tool.ixrules.severity]
"field.unknown" = "warning"
"acme.due_date.required" = "warning"

[[tool.ixrules.files]]
match = "fixtures/updates/*.json"
endpoint = "invoices.update"
"""

EXPECTED = (
    "fixtures/create_undated.json:1:13: warning: Due date can't be blank [acme.due_date.required]\n"
)


@pytest.mark.parametrize(
    ("name", "config"), [(".ixrules.yaml", YAML_CONFIG), ("pyproject.toml", TOML_CONFIG)]
)
def test_a_project_lints_its_mixed_folder_in_one_call(
    tmp_path: Path, name: str, config: str
) -> None:
    root = project(tmp_path / "web", name, config)
    plain, strict, unconfigured, explained = lint_many(
        (root, ("lint", "--no-progress", ".")),
        (root / "fixtures", ("lint", "--no-progress", "--strict", ".")),
        (root, ("lint", "--no-progress", "--no-config", "fixtures/updates")),
        (root, ("explain", "acme.discount.maximum")),
    )
    code, out, err = plain
    assert (code, err) == (0, "")
    assert out.replace("./", "") == (
        EXPECTED + "Found 1 problem (0 errors, 1 warning) in 1 file; 3 files checked.\n"
    )
    assert strict[0] == 1
    code, out, err = unconfigured
    assert code == 1 and "Client can't be blank [document.client.required]" in out
    assert "Message from: a user's rule pack (ixrules/acme.yaml:17)" in explained[1]


def test_strict_and_context_per_file_from_the_configuration(tmp_path: Path) -> None:
    config = (
        YAML_CONFIG
        + "strict: true\n"
        + textwrap.dedent(
            """
        files:
          - match: "fixtures/updates/*.json"
            endpoint: invoices.update
            context: ctx/draft.json
        """
        )
    )
    config = config.replace(
        'files:\n  - match: "fixtures/updates/*.json"\n    endpoint: invoices.update\n', "", 1
    )
    root = project(tmp_path / "web", ".ixrules.yaml", config)
    code, out, err = lint(root, "lint", "--no-progress", "fixtures/create_undated.json")
    assert (code, out, err) == (
        1,
        EXPECTED + "Found 1 problem (0 errors, 1 warning) in 1 file; 1 file checked.\n",
        "",
    )


def test_an_excluded_file_is_never_read_even_when_named(tmp_path: Path) -> None:
    root = project(tmp_path / "web", ".ixrules.yaml", YAML_CONFIG)
    (root / "package.json").chmod(0)  # reading it would fail
    named, excluded = lint_many(
        (root, ("lint", "--no-progress", "package.json", "fixtures/create_ok.json")),
        (root, ("lint", "--no-progress", "--exclude", "fixtures/create_*", "fixtures")),
    )
    assert named == (0, "No problems found; 1 file checked.\n", "")
    code, out, err = excluded
    assert (code, err) == (0, "")
    assert "create_undated" not in out


def test_the_portuguese_message_of_a_pack_through_the_command(tmp_path: Path) -> None:
    root = project(tmp_path / "web", ".ixrules.yaml", "rules: [ixrules]\n")
    body = json.dumps(CREATE).encode()
    done = subprocess.run(
        [*command(), "lint", "--no-progress", "--format", "json", "-"],
        cwd=root,
        input=body,
        capture_output=True,
        env=environment({}),
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["problems"][0]["message"] == "Due date can't be blank"
    from ixrules.api import Rules

    rules = Rules.load(extra=[root / "ixrules"])
    assert rules.validate(CREATE, locale="pt").messages == [
        "A data de vencimento não pode estar em branco"
    ]


def test_an_override_and_a_plugin_through_the_command(tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site")
    root = tmp_path / "web"
    (root / ".git").mkdir(parents=True)
    write(root, "pack/plugin.yaml", PLUGIN_PACK)
    write(
        root,
        "pack/quantity.yaml",
        """
        rules:
          - id: item.quantity.positive
            override: true
            message: Quantity below one
            check: number
            args: {gte: 1}
        """,
    )
    write(root, ".ixrules.yaml", "rules: [pack]\n")
    body = {"invoice": {**CREATE["invoice"], "items": [{**GOOD_ITEM, "quantity": 0.5}]}}
    write(root, "a.json", json.dumps(body))
    code, out, err = lint(root, "lint", "--no-progress", "a.json", env={"PYTHONPATH": str(site)})
    assert (code, err) == (1, "")
    assert out.splitlines()[:4] == [
        "a.json:1:46: Client is invalid [document.client.invalid]",
        "a.json:1:68: Client code 1 is not an Acme code [acme.client.code.house]",
        "a.json:1:83: Invoice items is invalid [document.items.invalid]",
        "a.json:1:129: Quantity below one [item.quantity.positive]",
    ]
    code, out, err = lint(root, "lint", "--no-progress", "a.json")  # the plugin is not installed
    assert (code, out) == (2, "")
    assert err == (
        "ixrules: error: broken rule file: pack/plugin.yaml:9: no check named 'house_code' in the "
        "registry or an installed plugin (entry point group ixrules.checks)\n"
    )


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {".ixrules.yaml": "colour: red\n"},
            "broken configuration: .ixrules.yaml:1: unknown key 'colour'",
        ),
        (
            {".ixrules.yaml": "exclude: ['[x']\n"},
            "broken configuration: .ixrules.yaml:1: bad glob '[x'",
        ),
        (
            {
                ".ixrules.yaml": "rules: [p.yaml]\n",
                "p.yaml": "rules:\n  - {id: kind.date, message: x}\n",
            },
            "broken rule file: p.yaml:2: rule id 'kind.date' already defined at",
        ),
        (
            {".ixrules.yaml": "rules: [.]\n"},
            "broken configuration: .ixrules.yaml:1: the rules include each other",
        ),
        (
            {".ixrules.yaml": "ignore: [kind.dat]\n"},
            "broken configuration: .ixrules.yaml:1: 'kind.dat' matches no rule id",
        ),
        (
            {"pyproject.toml": "[tool.ixrules]\nrules = 3\n"},
            "broken configuration: pyproject.toml:2: rules must be",
        ),
        (
            {"pyproject.toml": "[tool.ixrules]\nrules = [\n"},
            "broken configuration: pyproject.toml:",
        ),
    ],
)
def test_every_broken_configuration_is_one_line_and_exit_2(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        write(tmp_path, name, text)
    write(tmp_path, "a.json", json.dumps(CREATE))
    code, out, err = lint(tmp_path, "lint", "--no-progress", "a.json")
    assert (code, out) == (2, "")
    assert err.startswith(f"ixrules: error: {expected}"), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_one_pre_commit_hook_lints_the_mixed_example_folder() -> None:
    """What pre-commit runs: the hook's entry with every staged payload file by name, from the
    project's root, where the configuration is found."""
    import re

    import yaml

    top = HERE.parent
    hooks = yaml.safe_load((top / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [entry for entry in hooks if entry["id"] == "ixrules"]  # ixrules-fix beside it
    project = top / "docs" / "examples" / "acme"
    staged = sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and re.search(hook["files"], path.name)
    )
    assert "package.json" in staged and "payloads/updates/due_date.json" in staged
    code, out, err = lint(project, *hook["entry"].split()[1:], "--no-progress", *staged)
    assert (code, err) == (1, "")
    last = "Found 3 problems (2 errors, 1 warning) in 1 file; 3 files checked."
    assert out.splitlines()[-1] == last
    assert "updates" not in out and "package.json" not in out


def test_a_files_entry_gives_its_context_and_the_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "ctx.json", '{"account": {"mb_payment_provider": false}}')
    write(tmp_path, "updates/mb.json", '{"invoice": {"mb_reference": "1"}}')
    write(
        tmp_path,
        ".ixrules.yaml",
        "files:\n  - {match: updates, endpoint: invoices.update, context: ctx.json}\n",
    )
    code, out, err = lint(tmp_path, "lint", "--no-progress", "updates")
    assert (code, err) == (1, "")
    assert out == (
        "updates/mb.json:1:30: Option to generate MB reference is set but no payment provider is "
        "configurated [document.mb_reference.provider]\n"
        "Found 1 problem in 1 file; 1 file checked.\n"
    )
    write(tmp_path, "other.json", '{"account": {"mb_payment_provider": true}}')
    code, out, err = lint(tmp_path, "lint", "--no-progress", "-c", "other.json", "updates")
    assert (code, out, err) == (0, "No problems found; 1 file checked.\n", "")


def test_extra_rules_on_the_command_line_without_a_configuration(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "a.json", json.dumps(CREATE))
    linted, listed, missing = lint_many(
        (tmp_path, ("lint", "--no-progress", "--extra-rules", str(ACME), "a.json")),
        (tmp_path, ("rules", "--extra-rules", str(ACME))),
        (tmp_path, ("lint", "--extra-rules", "nowhere", "a.json")),
    )
    assert linted == (
        1,
        "a.json:1:13: Due date can't be blank [acme.due_date.required]\n"
        "Found 1 problem in 1 file; 1 file checked.\n",
        "",
    )
    (line,) = [line for line in listed[1].splitlines() if line.startswith("acme.tax.house ")]
    assert line.split(None, 1)[1] == "warning: Tax {value} is not one of Acme's taxes"
    assert (missing[0], missing[2]) == (
        2,
        "ixrules: error: --extra-rules nowhere: no such file or directory\n",
    )


def test_a_plugin_module_exposes_named_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(make_plugin(tmp_path / "site")))
    pack = write(
        tmp_path, "mine.yaml", PLUGIN_PACK.replace("check: house_code", "check: acme.house_code")
    )
    rules = ixrules.Rules.load(extra=[pack])
    assert (
        rules.validate(CREATE, "invoices.create").messages[-1]
        == "Client code 1 is not an Acme code"
    )
    pack.write_text(
        PLUGIN_PACK.replace("check: house_code", "check: acme.nothing"), encoding="utf-8"
    )
    with pytest.raises(RuleFileError, match=r"no check named 'acme\.nothing'"):
        ixrules.Rules.load(extra=[pack])


def test_an_ignored_rule_is_not_reported_through_the_command(tmp_path: Path) -> None:
    root = project(tmp_path / "web", ".ixrules.yaml", YAML_CONFIG)
    item = {**GOOD_ITEM, "quantity": 0}
    body = {"invoice": {**CREATE["invoice"], "due_date": "02/01/2024", "items": [item]}}
    write(root, "zero.json", json.dumps(body))
    quantity = (
        "zero.json:1:129: Quantity must be a number greater than 0 [item.quantity.positive]\n"
    )
    configured, unconfigured = lint_many(
        (root, ("lint", "--no-progress", "zero.json")),
        (root, ("lint", "--no-progress", "--no-config", "zero.json")),
    )
    assert configured == (1, quantity + "Found 1 problem in 1 file; 1 file checked.\n", "")
    code, out, err = unconfigured
    assert (code, err) == (1, "")
    assert out == (
        "zero.json:1:83: Invoice items is invalid [document.items.invalid]\n"
        + quantity
        + "Found 2 problems in 1 file; 1 file checked.\n"
    )


def test_the_pre_flight_of_an_http_client_takes_the_rules(tmp_path: Path) -> None:
    import httpx

    from ixrules.http import preflight

    sent: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json={})

    url = "https://acme.app.invoicexpress.com/invoices.json?api_key=k"
    shipped = preflight(httpx.Client(transport=httpx.MockTransport(transport)))
    assert shipped.post(url, json=CREATE).status_code == 201
    client = preflight(
        httpx.Client(transport=httpx.MockTransport(transport)),
        rules=ixrules.Rules.load(extra=[ACME]),
    )
    with pytest.raises(ixrules.PreflightError) as caught:
        client.post(url, json=CREATE)
    assert caught.value.report.messages == ["Due date can't be blank"]
    assert len(sent) == 1


def test_from_config_finds_the_configuration_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "pack.yaml", ACME.read_text(encoding="utf-8"))
    write(tmp_path, ".ixrules.yaml", "rules: [pack.yaml]\nstrict: true\n")
    (tmp_path / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "deep")
    rules = ixrules.Rules.from_config()
    assert rules.config is not None and rules.config.strict
    assert rules.validate(CREATE).messages == ["Due date can't be blank"]
    assert (
        rules.ruleset.rules["acme.tax.house"].origin == f"{(tmp_path / 'pack.yaml').resolve()}:27"
    )
    (tmp_path / ".ixrules.yaml").unlink()
    assert ixrules.Rules.from_config().validate(CREATE).ok  # none: the shipped rules
