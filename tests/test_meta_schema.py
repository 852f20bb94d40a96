"""The rule format's meta-schema, beyond tests/test_loader.py: every kind of node rejects
unknown keys and mistyped values, references must resolve, YAML is read safely and within
bounds, and each error names the file and the line."""

from __future__ import annotations

import time

import pytest

from ixrules import RuleFileError, Rules
from ixrules.api import default_rules
from ixrules.checks import CHECKS
from ixrules.ruleformat.builder import load_rule_texts

GOOD = """\
doc: Things.
fragments:
  thing:
    doc: A thing.
    fields:
      name:
        required:
          id: thing.name.required
          message: Name can't be blank
        rules:
          - id: thing.name.text
            message: Name {value} is not text
            check: string
      size:
        rules:
          - id: thing.size.number
            message: Size is not a number
            check: number
            args: {gte: 0}
            when: {check: flag_set}
            needs: [account.trial]
            modes: [create]
            source: inferred
            status: 422
            doc: A size.
            example: {body: {thing: {size: x}}}
      parts:
        each:
          use: part
  part:
    fields:
      kind:
        rules:
          - id: part.kind.known
            message: Kind is unknown
            check: one_of
            args: {values: [a, b]}
endpoints:
  - paths: [things]
    root: stuff
    doc: Things.
    actions:
      create: {body: thing, mode: create, status: 201}
      update: {body: thing, mode: update, error_shape: errors}
      archive: {body: thing, route: "PUT /things/{id}/archive.json"}
"""

ACTIONS = GOOD[GOOD.index("    actions:\n") :]
REQUIRED = GOOD[GOOD.index("        required:\n") : GOOD.index("        rules:\n")]
KIND_RULE = GOOD[GOOD.index("          - id: part.kind.known\n") : GOOD.index("endpoints:")]
NAME_RULES = GOOD[GOOD.index("        rules:\n") : GOOD.index("      size:\n")]


def error(text: str, name: str = "things.yaml") -> tuple[str, int, str]:
    with pytest.raises(RuleFileError) as caught:
        load_rule_texts([(name, text)])
    exc = caught.value
    assert str(exc) == f"{exc.file}:{exc.line}: {exc.problem}"
    return exc.file, exc.line, exc.problem


def test_the_good_file_loads() -> None:
    ruleset = load_rule_texts([("things.yaml", GOOD)])
    assert list(ruleset.endpoints) == ["things.create", "things.update", "things.archive"]
    archive = ruleset.endpoints["things.archive"]
    assert (archive.method, archive.route, archive.roots) == (
        "PUT",
        "/things/{id}/archive.json",
        ("stuff", "thing"),
    )
    assert ruleset.endpoints["things.create"].roots == ("stuff", "thing")


# (what to replace, with what, the line reported, the problem as said) -- each case breaks GOOD
# in exactly one way
CASES = {
    "a check the registry lacks": (
        "            check: number\n",
        "            check: numbr\n",
        18,
        "no check named 'numbr' in the registry",
    ),
    "a key that is not a string": (
        "      size:\n",
        "      3:\n",
        14,
        "keys must be strings, not 3",
    ),
    "a missing required argument": (
        "            args: {values: [a, b]}\n",
        "            args: {ignore_case: true}\n",
        36,
        "check 'one_of' needs argument(s) ['values']",
    ),
    "a nested duplicate key": (
        "            check: string\n",
        "            check: string\n            check: number\n",
        14,
        "duplicate key 'check' (first at line 13)",
    ),
    "a null key": ("      size:\n", "      ~:\n", 14, "keys must be strings, not None"),
    "a route that is no route": (
        'route: "PUT /things/{id}/archive.json"',
        'route: "archive"',
        45,
        "route must read 'METHOD /path'",
    ),
    "a rule id defined twice": (
        "          - id: part.kind.known\n",
        "          - id: thing.size.number\n",
        34,
        "rule id 'thing.size.number' already defined at things.yaml:16",
    ),
    "action body of a missing fragment": (
        "      create: {body: thing, mode: create, status: 201}\n",
        "      create: {body: nothing, mode: create}\n",
        43,
        "no fragment named 'nothing'",
    ),
    "action not a mapping": (
        "      create: {body: thing, mode: create, status: 201}\n",
        "      create: thing\n",
        43,
        "action 'create' must be a mapping",
    ),
    "action status not an integer": (
        "mode: create, status: 201}",
        "mode: create, status: created}",
        43,
        "action 'create' key 'status' must be an integer",
    ),
    "action without a body": (
        "      create: {body: thing, mode: create, status: 201}\n",
        "      create: {mode: create}\n",
        43,
        "action 'create' lacks the required key 'body'",
    ),
    "actions not a mapping": (
        ACTIONS,
        "    actions: [create]\n",
        42,
        "endpoints entry key 'actions' must be a mapping",
    ),
    "an action without a conventional route": (
        '      archive: {body: thing, route: "PUT /things/{id}/archive.json"}\n',
        "      archive: {body: thing}\n",
        45,
        "action 'archive' has no conventional route: give a route",
    ),
    "an argument the check does not take": (
        "            args: {gte: 0}\n",
        "            args: {gte: 0, most: 3}\n",
        18,
        "check 'number' takes no argument(s) ['most']",
    ),
    "an unknown error shape": (
        "error_shape: errors}\n",
        "error_shape: text}\n",
        44,
        "error_shape must be one of",
    ),
    "an unknown mode": (
        "            modes: [create]\n",
        "            modes: [create, delete]\n",
        22,
        "modes must be among",
    ),
    "an unknown source": (
        "            source: inferred\n",
        "            source: guessed\n",
        23,
        "source must be one of",
    ),
    "an unknown status": (
        "            status: 422\n",
        "            status: 501\n",
        24,
        "status must be",
    ),
    "args not a mapping": (
        "            args: {gte: 0}\n",
        "            args: [0]\n",
        19,
        "rule key 'args' must be a mapping, not [0]",
    ),
    "args without a check": (
        "            check: number\n            args: {gte: 0}\n",
        "            args: {gte: 0}\n",
        18,
        "args given without a check",
    ),
    "at not a string": (
        "            check: number\n",
        "            check: number\n            at: [x]\n",
        19,
        "rule key 'at' must be a string",
    ),
    "check not a string": (
        "            check: number\n",
        "            check: {name: number}\n",
        18,
        "rule key 'check' must be a string",
    ),
    "doc not a string": (
        "            doc: A size.\n",
        "            doc: [A size.]\n",
        25,
        "rule key 'doc' must be a string",
    ),
    "each not a mapping": (
        "        each:\n          use: part\n",
        "        each: part\n",
        28,
        "field key 'each' must be a mapping",
    ),
    "empty message": (
        "            message: Kind is unknown\n",
        "            message: ''\n",
        35,
        "message must not be empty",
    ),
    "endpoint not a mapping": (
        "  - paths: [things]\n    root: stuff\n",
        "  - things\n  - paths: [things]\n    root: stuff\n",
        39,
        "an endpoints entry must be a mapping",
    ),
    "endpoint without actions": (
        ACTIONS,
        "",
        39,
        "endpoints entry lacks the required key 'actions'",
    ),
    "endpoint without paths": (
        "  - paths: [things]\n    root: stuff\n",
        "  - root: stuff\n",
        39,
        "endpoints entry lacks the required key 'paths'",
    ),
    "endpoints not a list": (
        "endpoints:\n  - paths: [things]\n",
        "endpoints: {}\nendpoints_too:\n  - paths: [things]\n",
        38,
        "rule file key 'endpoints' must be a list",
    ),
    "example not a mapping": (
        "            example: {body: {thing: {size: x}}}\n",
        "            example: [thing]\n",
        26,
        "rule key 'example' must be a mapping",
    ),
    "field not a mapping": (
        "      parts:\n        each:\n          use: part\n",
        "      parts: yes\n",
        27,
        "field 'parts' must be a mapping",
    ),
    "fields not a mapping": (
        "      parts:\n        each:\n",
        "      parts:\n        fields: [a]\n        each:\n",
        28,
        "field key 'fields' must be a mapping",
    ),
    "file key of the wrong type": (
        "doc: Things.\nfragments:\n",
        "doc: [Things]\nfragments:\n",
        1,
        "rule file key 'doc' must be a string",
    ),
    "fragment not a mapping": (
        "  part:\n    fields:\n      kind:\n",
        "  part: just text\n  party:\n    fields:\n      kind:\n",
        30,
        "fragment 'part' must be a mapping",
    ),
    "fragments not a mapping": (
        "fragments:\n  thing:\n",
        "fragments: [thing]\nmore:\n  thing:\n",
        2,
        "rule file key 'fragments' must be a mapping",
    ),
    "invalid not a mapping": (
        "      parts:\n",
        "      parts:\n        invalid: Parts are invalid\n",
        28,
        "field key 'invalid' must be a mapping",
    ),
    "message with a positional placeholder": (
        "            message: Kind is unknown\n",
        "            message: Kind {} is unknown\n",
        35,
        "message uses unknown placeholder(s) ['']",
    ),
    "message with an attribute placeholder": (
        "            message: Kind is unknown\n",
        "            message: Kind {value.x} is unknown\n",
        35,
        "message uses unknown placeholder(s) ['value.x']",
    ),
    "message with an unclosed brace": (
        "            message: Kind is unknown\n",
        "            message: Kind {value is unknown\n",
        35,
        "message is not a valid template",
    ),
    "modes not a list": (
        "            modes: [create]\n",
        "            modes: create\n",
        22,
        "rule key 'modes' must be a list",
    ),
    "needs an unknown key": (
        "            needs: [account.trial]\n",
        "            needs: [account.trial, weather]\n",
        21,
        "needs unknown context key 'weather'",
    ),
    "needs not a list": (
        "            needs: [account.trial]\n",
        "            needs: account.trial\n",
        21,
        "rule key 'needs' must be a list",
    ),
    "no modes": (
        "            modes: [create]\n",
        "            modes: []\n",
        22,
        "modes must be among",
    ),
    "paths empty": (
        "  - paths: [things]\n",
        "  - paths: []\n",
        39,
        "paths must be a list of API paths",
    ),
    "paths not strings": (
        "  - paths: [things]\n",
        "  - paths: [3]\n",
        39,
        "paths must be a list of API paths",
    ),
    "required of the wrong type": (
        REQUIRED,
        "        required: [thing.name.text]\n",
        7,
        "field key 'required' must be a string or a mapping",
    ),
    "required refers to a missing rule": (
        REQUIRED,
        "        required: thing.name.gone\n",
        7,
        "required refers to rule 'thing.name.gone', which is not defined",
    ),
    "rule id that is not defined": (
        KIND_RULE,
        "          - part.kind.gone\n",
        34,
        "rule 'part.kind.gone' is not defined",
    ),
    "rule not a mapping": (
        KIND_RULE,
        "          - 3\n",
        34,
        "a rule must be a mapping or a rule id",
    ),
    "rule without a message": (
        "            message: Kind is unknown\n",
        "",
        34,
        "rule lacks the required key 'message'",
    ),
    "rule without an id": (
        "          - id: part.kind.known\n",
        "          - doc: x\n",
        34,
        "rule lacks the required key 'id'",
    ),
    "rules not a list": (
        NAME_RULES,
        "        rules: {id: thing.name.text}\n",
        10,
        "field key 'rules' must be a list",
    ),
    "status a boolean": (
        "            status: 422\n",
        "            status: true\n",
        24,
        "rule key 'status' must be an integer, not True",
    ),
    "status not an integer": (
        "            status: 422\n",
        "            status: '422'\n",
        24,
        "rule key 'status' must be an integer",
    ),
    "unknown action key": (
        "      create: {body: thing, mode: create, status: 201}\n",
        "      create: {body: thing, mode: create, verb: POST}\n",
        43,
        "unknown key 'verb' in action 'create'",
    ),
    "unknown endpoint key": (
        "    root: stuff\n",
        "    root: stuff\n    version: 2\n",
        41,
        "unknown key 'version' in endpoints entry",
    ),
    "unknown field key": (
        "    doc: A thing.\n",
        "    doc: A thing.\n    colour: red\n",
        5,
        "unknown key 'colour' in field",
    ),
    "unknown file key": (
        "doc: Things.\nfragments:\n",
        "doc: Things.\nversion: 2\nfragments:\n",
        2,
        "unknown key 'version' in rule file",
    ),
    "unwrapped not a boolean": (
        "    root: stuff\n",
        "    root: stuff\n    unwrapped: 'yes'\n",
        41,
        "endpoints entry key 'unwrapped' must be a boolean",
    ),
    "use not a string": (
        "          use: part\n",
        "          use: [part]\n",
        29,
        "field key 'use' must be a string",
    ),
    "use of a missing fragment": (
        "          use: part\n",
        "          use: prat\n",
        29,
        "no fragment named 'prat'",
    ),
    "when not a mapping": (
        "            when: {check: flag_set}\n",
        "            when: flag_set\n",
        20,
        "rule key 'when' must be a mapping",
    ),
    "when with a missing check": (
        "            when: {check: flag_set}\n",
        "            when: {check: flag_unset}\n",
        20,
        "no check named 'flag_unset' in the registry",
    ),
    "when with a wrong argument": (
        "            when: {check: flag_set}\n",
        "            when: {check: flag_set, args: {key: x}}\n",
        20,
        "check 'flag_set' takes no argument(s) ['key']",
    ),
    "when with an unknown key": (
        "            when: {check: flag_set}\n",
        "            when: {check: flag_set, unless: x}\n",
        20,
        "unknown key 'unless' in when",
    ),
    "when without a check": (
        "            when: {check: flag_set}\n",
        "            when: {args: {}}\n",
        20,
        "when lacks the required key 'check'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_broken_rule_file_says_file_line_and_problem(case: str) -> None:
    old, new, line, problem = CASES[case]
    assert GOOD.count(old) == 1, f"the case {case!r} does not find its text once"
    file, at, said = error(GOOD.replace(old, new))
    assert (file, at) == ("things.yaml", line), said
    assert said.startswith(problem), said


def test_a_fragment_in_another_file_and_errors_name_their_own_file() -> None:
    other = "fragments:\n  part:\n    fields:\n      kind:\n        rules: [part.kind.gone]\n"
    mine = GOOD[: GOOD.index("  part:\n")] + GOOD[GOOD.index("endpoints:") :]
    with pytest.raises(RuleFileError) as caught:
        load_rule_texts([("a.yaml", mine), ("b.yaml", other)])
    assert (caught.value.file, caught.value.line) == ("b.yaml", 5)
    assert caught.value.problem == "rule 'part.kind.gone' is not defined (yet)"
    twice = "fragments:\n  part: {}\n"
    with pytest.raises(RuleFileError) as caught:
        load_rule_texts([("a.yaml", GOOD), ("b.yaml", twice)])
    assert (caught.value.file, caught.value.line) == ("b.yaml", 2)
    assert caught.value.problem == "fragment 'part' also defined in a.yaml"


def test_fragments_that_use_each_other_in_a_cycle() -> None:
    text = GOOD.replace("  part:\n    fields:\n", "  part:\n    use: loop\n    fields:\n").replace(
        "endpoints:", "  loop:\n    use: part\nendpoints:"
    )
    _, _, problem = error(text)
    assert problem == "fragment uses itself: thing -> part -> loop -> part"


def test_an_endpoint_defined_twice() -> None:
    text = GOOD + "  - paths: [things]\n    actions:\n      create: {body: thing}\n"
    _, line, problem = error(text)
    assert (line, problem) == (46, "endpoint 'things.create' defined twice")


# --- YAML read safely ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            "doc: !!python/name:os.system\n",
            1,
            "tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
        ),
        (
            "doc: !!python/object/apply:os.system [ls]\n",
            1,
            "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        ("fragments: !custom {}\n", 1, "tag '!custom' is not allowed in a rule file"),
        ("doc: !!binary aGVsbG8=\n", 1, "tag 'tag:yaml.org,2002:binary' is not allowed"),
        ("doc: 2017-01-01\n", 1, "'2017-01-01' reads as a date in YAML: quote it to write text"),
        ("doc: 2017-02-31\n", 1, "'2017-02-31' reads as a date in YAML: quote it to write text"),
        ("2017-02-31: x\n", 1, "'2017-02-31' reads as a date in YAML: quote it to write text"),
        ("doc: !!int abc\n", 1, "unreadable value 'abc' (int): invalid literal for int()"),
        ("doc: !!float x\n", 1, "unreadable value 'x' (float): could not convert"),
        ("!!python/name:os.system x: 1\n", 1, "tag 'tag:yaml.org,2002:python/name:os.system'"),
        ("? [a, b]\n: 1\n", 1, "keys must be strings, not a mapping or list"),
        ("doc: " + "9" * 5000 + "\n", 1, "a number longer than 100 characters"),
        ("doc: .nan\n", 1, "'.nan' is not a finite number"),
        ("a: &a {x: 1}\nb: {<<: *a}\n", 2, "merge keys (<<) are not read in rule files"),
        ("- a\n- b\n", 1, "a rule file is a mapping at the top"),
        ("doc: \udcff\n", 1, "not valid YAML: unacceptable character #xdcff"),
        ("doc: [a\n", 2, "not valid YAML"),
    ],
    ids=repr,
)
def test_yaml_is_read_with_safe_constructors_only(text: str, line: int, problem: str) -> None:
    _, at, said = error(text)
    assert at == line and said.startswith(problem), said


def bounded_error(text: str) -> tuple[str, int, str]:
    """The error for ``text``, which must come quickly (a generous bound: 10 s)."""
    start = time.monotonic()
    result = error(text)
    assert time.monotonic() - start < 10
    return result


def test_a_deeply_nested_file_is_refused_not_a_recursion_error() -> None:
    _, line, problem = bounded_error("doc: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert (line, problem) == (1, "nested deeper than 64 levels")
    block = "".join("  " * depth + f"k{depth}:\n" for depth in range(2000))
    _, line, problem = bounded_error(block)
    assert (line, problem) == (65, "nested deeper than 64 levels")


def test_aliases_of_aliases_do_not_expand_forever() -> None:
    """A "billion laughs" file: ten levels of ten aliases each would be 10**10 values."""
    lines = ["doc: x", "fragments:", "  l0: &l0 [a, a, a, a, a, a, a, a, a, a]"]
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"  l{level}: &l{level} [{refs}]")
    _, line, problem = bounded_error("\n".join(lines) + "\n")
    assert problem == "expands to more than 200000 values (aliases of aliases?)"
    assert 3 <= line <= 12


def test_a_file_that_refers_to_itself() -> None:
    _, line, problem = bounded_error("fragments: &a {x: *a}\n")
    assert (line, problem) == (1, "nested deeper than 64 levels")


def test_a_byte_order_mark_at_the_start_is_ignored() -> None:
    ruleset = load_rule_texts([("things.yaml", "\ufeff" + GOOD)])
    assert "things.create" in ruleset.endpoints


def test_a_file_that_is_not_utf8(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "things.yaml").write_bytes(GOOD.encode("utf-8") + b"# caf\xe9\n")
    with pytest.raises(RuleFileError) as caught:
        Rules.load(folder)
    assert caught.value.line == 1 and caught.value.problem.startswith("cannot read: ")


# --- the shipped rules keep the format's promises ------------------------------------------


def test_shipped_context_rules_declare_what_they_need() -> None:
    """A rule whose check reads the context lists the keys it reads in ``needs``: without
    them, a call without context would fail the rule instead of skipping it. (What each check
    reads is its registration's ``reads_context``.)"""
    for rule in default_rules().ruleset.rules.values():
        for name, args in ((rule.check, rule.args), rule.when or (None, {})):
            read = set(CHECKS[name].reads(args)) if name is not None else set()
            assert read <= set(rule.needs), f"{rule.origin}: {rule.id} reads {sorted(read)}"


def test_every_registered_check_is_documented() -> None:
    for name, check in CHECKS.items():
        assert (check.fn.__doc__ or "").strip(), f"check {name!r} has no docstring"


def test_the_depth_line_is_the_same_whichever_parser_composed_the_file() -> None:
    # 100 levels: libyaml composes it (it stops at 1,000), the pure-Python parser does not;
    # 2,000 levels: only the pure-Python parser gets far enough. Both say line 65.
    for levels in (100, 2000):
        block = "".join("  " * depth + f"k{depth}:\n" for depth in range(levels))
        _, line, problem = bounded_error(block)
        assert (line, problem) == (65, "nested deeper than 64 levels"), levels


def test_a_merge_key_bomb_is_refused_at_once() -> None:
    """Merge keys of merge keys doubled at each level took 31 s and 4 GB with PyYAML 6.0.1:
    rule files do not read merge keys at all, whatever PyYAML is installed."""
    lines = ["a0: &a0 {x: 1}"]
    for level in range(1, 30):
        lines.append(f"a{level}: &a{level} {{<<: [*a{level - 1}, *a{level - 1}], y{level}: 1}}")
    _, line, problem = bounded_error("\n".join(lines) + "\n")
    assert (line, problem) == (2, "merge keys (<<) are not read in rule files: use a fragment")


def test_use_chains_deeper_than_a_body_are_refused() -> None:
    chain = ["fragments:"] + [f"  f{i}: {{use: f{i + 1}}}" for i in range(3000)]
    chain += ["  f3000: {}", "endpoints:", "  - paths: [things]", "    actions:",
              "      create: {body: f0}"]  # fmt: skip
    _, line, problem = bounded_error("\n".join(chain) + "\n")
    assert (line, problem) == (102, "fields nested deeper than 100 levels (through 'use')")


def rule_with(replace: str, by: str) -> str:
    assert replace in GOOD
    return GOOD.replace(replace, by, 1)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (rule_with("Name {value} is", "Name {value:>1000000000} is"), 12,
         "message placeholder {value:>1000000000} takes no format: write {value}"),
        (rule_with("Name {value} is", "Name {value:q} is"), 12,
         "message placeholder {value:q} takes no format: write {value}"),
        (rule_with("Name {value} is", "Name {value!r} is"), 12,
         "message placeholder {value!r} takes no format: write {value}"),
        (rule_with("args: {gte: 0}", "args: {gte: abc}"), 18,
         "check 'number' argument 'gte' must be a number or null"),
        (rule_with("args: {gte: 0}", "args: {gte: true}"), 18,
         "check 'number' argument 'gte' must be a number or null"),
        (rule_with("args: {values: [a, b]}", "args: {values: 7}"), 36,
         "check 'one_of' argument 'values' must be a list of strings"),
        (rule_with("args: {values: [a, b]}", "args: {values: [a, 1]}"), 36,
         "check 'one_of' argument 'values' must be a list of strings"),
        (rule_with("check: string", "check: pattern\n            args: {regex: '(a'}"), 13,
         "regex '(a' is refused: not a valid regular expression: missing ), unterminated"),
        (rule_with("check: string", "check: pattern\n            args: {regex: '(a+)+$'}"), 13,
         "regex '(a+)+$' is refused: a repeated part that can match in more than one way"),
        (rule_with("check: string", "check: pattern\n            args: {regex: 7}"), 13,
         "check 'pattern' argument 'regex' must be a string"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 90 else None,
)  # fmt: skip
def test_templates_arguments_and_regexes_are_checked_at_load(
    text: str, line: int, problem: str
) -> None:
    _, at, said = bounded_error(text)
    assert at == line and said.startswith(problem), said
