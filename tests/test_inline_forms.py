"""Every inline form the generated code writes in place of a check's call answers as the call
does, on what Hypothesis draws: the shortcut is held to the long way for each check and each
set of arguments the shipped rules give it (and for ``when`` guards alike)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ixrules.api import default_rules
from ixrules.checks import Env, lookup
from ixrules.context import Context
from ixrules.run.call import Call
from ixrules.run.codegen import expression as written
from ixrules.values import as_number

RULESET = default_rules().ruleset


def _uses() -> dict[str, tuple[str, dict[str, Any]]]:
    """Each distinct (check, arguments) the shipped rules use, where the check has an inline
    form, keyed by a readable id."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for rule in RULESET.rules.values():
        pairs = [(rule.check, dict(rule.args))]
        if rule.when is not None:
            pairs.append((rule.when[0], dict(rule.when[1])))
        for name, args in pairs:
            check = None if name is None else lookup(name, RULESET.checks)
            if name is None or check is None or check.inline is None:
                continue
            found.setdefault(f"{name}{sorted(args.items())!r}", (name, args))
    return found


USES = _uses()
WORDS = ["", " ", "0", "1", "1.50", "-1", "1,5", "unit", "UNIT", "kg", "01/12/2017", "12/31/2017"]
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["field", "name", "sequence_id", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def test_the_shipped_rules_use_inline_forms() -> None:
    assert {"field_given", "not_empty", "max_length", "number"} <= {n for n, _ in USES.values()}


@pytest.mark.parametrize("use", sorted(USES))
@pytest.mark.parametrize("locale", [None, "pt"])
@settings(max_examples=150, deadline=None)
@given(value=VALUES, field=LEAVES)
def test_an_inline_form_answers_as_its_check(
    use: str, locale: str | None, value: Any, field: Any
) -> None:
    name, args = USES[use]
    check = lookup(name, RULESET.checks)
    assert check is not None
    for mode in ("create", "update"):
        expression, names = written(check, args, mode)
        for sample in (
            value,
            {**({} if type(value) is not dict else value), **_fields(args, field)},
        ):
            call = Call(Env(Context(None), mode, locale=locale), unwrapped=True)
            scope = {**names, "v": sample, "call": call, "x": as_number(sample)}
            assert eval(expression, scope) == bool(check.fn(sample, call.env, **args)), expression


def _fields(args: dict[str, Any], value: Any) -> dict[str, Any]:
    """The fields an object check reads, set to ``value``."""
    return {args[key]: value for key in ("field", "earlier", "later") if type(args.get(key)) is str}
