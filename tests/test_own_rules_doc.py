"""docs/own-rules.md is enough to write a pack, and true (issue 25 item 6): its list of what a
pack can name is generated from the shipped rules and the check registry and current, and each
of its examples runs (the console sessions in test_cli_sessions, the Python ones in
test_doctests, the TOML ones here)."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

import ixrules
from ixrules.checks import CHECKS
from ixrules.config import load_config, parse_config
from ixrules.packdoc import BEGIN, END, rewrite, shipped

TOP = Path(__file__).resolve().parent.parent
PAGE = TOP / "docs" / "own-rules.md"
ACME = TOP / "docs" / "examples" / "acme"

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the configuration reads TOML with tomli there too
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def blocks(language: str) -> list[str]:
    """The page's fenced blocks of ``language``, at the top level or inside a list item."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```$", text, flags=re.S | re.M)
    return [textwrap.dedent(body) for _, body in found]


def test_the_generated_part_is_current() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert rewrite(PAGE, shipped()) == text, (
        "docs/own-rules.md is stale: python -m ixrules.packdoc docs/own-rules.md"
    )


def test_it_lists_every_fragment_endpoint_and_check() -> None:
    text = PAGE.read_text(encoding="utf-8")
    part = text[text.index(BEGIN) : text.index(END)]
    rows = set(re.findall(r"^\| `([a-z_.]+)`", part, flags=re.M))
    assert set(CHECKS) <= rows
    shipped_rules = ixrules.Rules.load().ruleset
    with_body = {name for name, spec in shipped_rules.endpoints.items() if spec.body.fields}
    assert len(with_body) > 60 and with_body <= rows
    assert {"document", "document_client", "client_body", "item_line", "line_tax"} <= rows


def test_every_block_of_the_page_is_run_somewhere() -> None:
    """console: test_cli_sessions; python: test_doctests; toml and the one yaml block (the
    pre-commit snippet): the tests below."""
    text = PAGE.read_text(encoding="utf-8")
    languages = re.findall(r"^ *```([a-z]+)$", text, flags=re.M)
    assert set(languages) == {"console", "python", "toml", "yaml"}
    assert len(blocks("toml")) == 2
    (yaml,) = blocks("yaml")
    assert yaml.startswith("# .pre-commit-config.yaml\n")
    assert "\n  ```console\n" not in text  # a console block inside a list item would not run


def test_the_plugin_entry_points_example_declares_checks_a_pack_can_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example,) = [block for block in blocks("toml") if "ixrules.checks" in block]
    points = tomllib.loads(example)["project"]["entry-points"]["ixrules.checks"]
    assert points == {"house_code": "acme_checks:house_code", "acme": "acme_checks"}
    site = tmp_path / "site"
    (site / "acme_checks-1.0.dist-info").mkdir(parents=True)
    (site / "acme_checks.py").write_text(
        "def house_code(value, env, *, prefix):\n"
        "    return isinstance(value, str) and value.startswith(prefix)\n",
        encoding="utf-8",
    )
    (site / "acme_checks-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n", encoding="utf-8"
    )
    entry_points = "".join(f"{name} = {value}\n" for name, value in points.items())
    (site / "acme_checks-1.0.dist-info" / "entry_points.txt").write_text(
        f"[ixrules.checks]\n{entry_points}", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        textwrap.dedent(
            """
            fragments:
              document_client:
                fields:
                  code:
                    rules:
                      - {id: acme.code.plain, message: Not ours, check: house_code,
                         args: {prefix: AC-}}
                      - {id: acme.code.dotted, message: Not ours either,
                         check: acme.house_code, args: {prefix: AC-1}}
            """
        ),
        encoding="utf-8",
    )
    rules = ixrules.Rules.load(packs=[pack])
    body = {"invoice": {"date": "01/01/2024", "client": {"name": "A", "code": "AC-2"},
                        "items": [{"name": "Pen", "unit_price": 1, "quantity": 1}]}}  # fmt: skip
    assert rules.validate(body, "invoices.create").messages == [
        "Client is invalid",
        "Not ours either",
    ]


def test_the_pyproject_configuration_example_says_what_the_yaml_one_says() -> None:
    (example,) = [block for block in blocks("toml") if "[tool.ixrules]" in block]
    from_toml = parse_config("pyproject.toml", example, root=str(ACME), toml=True)
    from_yaml = load_config(ACME / ".ixrules.yaml")
    assert from_toml.packs == from_yaml.packs
    assert from_toml.exclude == from_yaml.exclude
    assert [(s.pattern, s.severity) for s in from_toml.severities] == [
        (s.pattern, s.severity) for s in from_yaml.severities
    ]
    assert [(f.match, f.endpoint) for f in from_toml.files] == [
        ("payloads/updates/*.json", "invoices.update")
    ]


def test_the_pre_commit_snippet_is_the_one_run_for_real() -> None:
    """docs/cli.md's snippet runs with real pre-commit (tests/test_pre_commit.py); this page's
    names the same repository, version and hook, with the plugins' packages added."""
    import yaml

    (mine,) = blocks("yaml")
    cli = (TOP / "docs" / "cli.md").read_text(encoding="utf-8")
    found = re.search(r"In your `\.pre-commit-config\.yaml`:\n\n```yaml\n(.*?)```", cli, re.S)
    assert found is not None
    (ours,), (run,) = yaml.safe_load(mine)["repos"], yaml.safe_load(found[1])["repos"]
    assert (ours["repo"], ours["rev"]) == (run["repo"], run["rev"])
    assert [hook["id"] for hook in ours["hooks"]] == [hook["id"] for hook in run["hooks"]]
    assert ours["hooks"][0]["additional_dependencies"] == ["acme-checks"]
