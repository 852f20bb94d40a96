"""The message catalogue, generated from the rules so it cannot drift from them.

``python -m ixrules.catalogue > docs/catalogue.md`` rewrites it; a test checks it is current.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .model import Rule, RuleSet
from .wording import wording

#: The languages the catalogue says the wording of (those ixrules has catalogs for).
LANGUAGES = ("pt", "es")

_SOURCE_NOTES = {
    "seed": "the API's error-code page",
    "observed": "a recorded or documented API response outside the error-code page",
    "inferred": "the backend's Rails conventions; the API's exact wording is not documented",
    "ixrules": "ixrules' own words, for a warning: the API accepts the body and says nothing",
    "user": "a user's rule pack",
}


def endpoint_summary(names: Iterable[str]) -> str:
    """Endpoint names grouped by action: ``invoices, quotes .create/.update``.

    >>> endpoint_summary(["invoices.create", "quotes.create", "invoices.update", "quotes.update"])
    'invoices, quotes (create, update)'
    """
    by_paths: dict[tuple[str, ...], list[str]] = defaultdict(list)
    actions: dict[str, list[str]] = defaultdict(list)
    for name in names:
        path, _, action = name.partition(".")
        actions[path].append(action)
    for path, acts in actions.items():
        by_paths[tuple(acts)].append(path)
    return "; ".join(f"{', '.join(paths)} ({', '.join(acts)})" for acts, paths in by_paths.items())


def _row(rule: Rule, endpoints: tuple[str, ...]) -> str:
    needs = ", ".join(f"`{key}`" for key in rule.needs) or "no"
    message = rule.message.replace("|", "\\|")
    status = "" if rule.status == 422 else f" ({rule.status})"
    languages = " | ".join(wording(rule.message, language) for language in LANGUAGES)
    return (
        f"| {message}{status} | `{rule.id}` | {rule.severity} | {rule.source} | {languages} | "
        f"{needs} | {endpoint_summary(endpoints)} |"
    )


def render_catalogue(ruleset: RuleSet) -> str:
    """Markdown: every rule's message, id, source, context keys and endpoints, by rule file."""
    lines = [
        "# Message catalogue",
        "",
        "Generated from `rules/*.yaml` by `python -m ixrules.catalogue > docs/catalogue.md`;",
        "do not edit by hand. *Severity* is `error` when the API refuses the request with the",
        "message, `warning` when it accepts the request but does not do what was sent (a key it",
        "drops, a flag it ignores). *Source* says where the wording comes from:",
        "",
        *(f"- **{name}**: {note}." for name, note in _SOURCE_NOTES.items()),
        "",
        "*Needs context* lists the context keys without which the rule is skipped (and listed in",
        "`Report.skipped`) rather than guessed.",
        "",
        "*pt* and *es* say whose words the message is in that language: **recorded** when the",
        "API was recorded answering with that text (an account answers in its own language),",
        "**translation** when it is the project's translation of the English message.",
    ]
    by_file: dict[str, list[Rule]] = defaultdict(list)
    for rule in ruleset.rules.values():
        by_file[rule.origin.rsplit(":", 1)[0]].append(rule)
    for file in sorted(by_file):
        lines += [
            "",
            f"## {file}",
            "",
            "| message | rule id | severity | source | pt | es | needs context | endpoints |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for rule in sorted(by_file[file], key=lambda r: r.id):
            lines.append(_row(rule, ruleset.rule_endpoints.get(rule.id, ())))
    return "\n".join(lines) + "\n"


def main() -> None:
    from .api import default_rules

    print(render_catalogue(default_rules().ruleset), end="")


if __name__ == "__main__":
    main()
