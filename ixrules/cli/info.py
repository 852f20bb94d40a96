"""``ixrules endpoints``, ``ixrules rules [ENDPOINT]`` and ``ixrules explain RULE_ID``: what the
rule set knows, printed from its public model."""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Mapping
from typing import Any

from ..api import Rules
from ..endpoint_lookup import EndpointError
from ..lint.safe import json_text
from ..messages import languages, translate
from ..wording import evidence
from .errors import CommandError

#: What a rule's ``source`` says about where its message comes from.
SOURCES = {
    "seed": "the API's error-code page",
    "observed": "a recorded or documented API response",
    "inferred": "the backend's Rails conventions (the API's exact text is not known)",
    "ixrules": "ixrules (a warning: the API accepts the request and answers nothing)",
    "user": "a user's rule pack",
}
WIDTH = 100


def endpoints_text(rules: Rules) -> str:
    """Every endpoint name, one a line."""
    return "".join(f"{name}\n" for name in rules.endpoints())


def check_endpoint(rules: Rules, name: str) -> None:
    """Raise a ``CommandError`` (naming the closest names) unless ``name`` is an endpoint."""
    try:
        rules.endpoint(name)
    except EndpointError as exc:
        reason = str(exc).replace("; see ixrules.endpoints()", "")
        raise CommandError(f"{reason} (see 'ixrules endpoints')") from None


def rules_text(rules: Rules, endpoint: str | None = None) -> str:
    """Rule ids and their messages, aligned; only the rules of ``endpoint`` when given."""
    chosen = list(rules.ruleset.rules.values())
    if endpoint is not None:
        check_endpoint(rules, endpoint)
        served = rules.ruleset.rule_endpoints
        chosen = [rule for rule in chosen if endpoint in served.get(rule.id, ())]
    width = max((len(rule.id) for rule in chosen), default=0) + 2
    return "".join(f"{rule.id:<{width}}{_marked(rule.severity)}{rule.message}\n" for rule in chosen)


def _marked(severity: str) -> str:
    """Errors print bare (the API's message); anything else says what it is."""
    return "" if severity == "error" else f"{severity}: "


def explain_text(rules: Rules, rule_id: str) -> str:
    """What a rule checks, its message, where it applies, and an example body that triggers it
    with what ixrules answers for that body."""
    known = rules.ruleset.rules
    rule = known.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'ixrules rules'"
        raise CommandError(f"unknown rule {rule_id!r}{hint}")
    out = [rule.id, f"  {_marked(rule.severity)}{rule.message}", ""]
    # a word longer than a line stays whole (cutting it up takes time that grows with the
    # square of its length); the listing shows at most MAX_SHOWN characters of a line
    out += [_fill(part) for part in rule.doc.strip().split("\n\n") if part]
    out.append("")
    source = SOURCES.get(rule.source, rule.source)
    out.append(f"Severity: {rule.severity}")
    if rule.status != 422:
        out.append(f"Predicts: HTTP {rule.status}")
    out.append(f"Message from: {source}" + (f" ({rule.origin})" if rule.origin else ""))
    out += _languages(rule.message)
    served = rules.ruleset.rule_endpoints.get(rule.id, ())
    if served:
        out.append(_fill("Endpoints: " + ", ".join(served), subsequent_indent="  "))
    if rule.needs:
        out.append(f"Needs context: {', '.join(rule.needs)} (skipped when the context lacks it)")
    if rule.example:
        out += ["", *_example(rules, rule.example)]
    return "\n".join(out) + "\n"


def _fill(text: str, subsequent_indent: str = "") -> str:
    return textwrap.fill(text, WIDTH, subsequent_indent=subsequent_indent, break_long_words=False)


def _languages(message: str) -> list[str]:
    """Per language ixrules translates into, the text and whose words it is."""
    out = []
    for language in sorted(languages()):
        text = translate(message, language)
        if text == message:
            continue  # no translation (a pack's rule): the English is the only text
        found = evidence(message, language)
        whose = f"the API's recorded wording, {found}" if found else "the project's translation"
        out.append(f"In {language}: {text} ({whose})")
    return out


def _example(rules: Rules, example: Mapping[str, Any]) -> list[str]:
    body, endpoint, context = example.get("body"), example.get("endpoint"), example.get("context")
    out = [f"Example that triggers it ({endpoint or 'endpoint inferred from the root key'}):"]
    out.append(textwrap.indent(json_text(body, indent=2), "  "))  # no raw line separator
    if context:
        out.append("with the context:")
        out.append(textwrap.indent(json_text(context, indent=2), "  "))
    locale = example.get("locale")
    if locale:
        out.append(f"with the locale: {locale}")
    try:
        report = rules.validate(body, endpoint, context=context, locale=locale)
    except ValueError as exc:
        return [*out, f"(the example cannot be validated: {exc})"]
    out.append("ixrules answers:")
    out += [
        f"  {issue.path}: {_marked(issue.severity)}{issue.message} [{issue.rule}]"
        for issue in report.issues
    ]
    return out
