"""One set of rule files (the shipped ones, or a directory's, with rule packs over them) into
a checked :class:`~ixrules.model.RuleSet`.

The files are parsed, their rule ids claimed (:func:`.packs.claim_ids`), then built in one
sweep whose order is the order errors are found in: every file's shared rules, every file's
fragments noted, every file's endpoints (building the fragments they use, with the packs'
extensions), then the packs' own fragments (one that no endpoint reached is an error: its
rules would never run), and last the overrides that replaced nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model import EndpointSpec, RuleSet
from .endpoints import entry_endpoints
from .errors import RuleFileError
from .fields import Fields
from .grammar import FILE_KEYS, check_keys
from .packs import claim_ids
from .plugins import CheckResolver
from .reading import ParsedFile, YList, YMap, line_of, load_yaml, read_rule_dir
from .relink import relink
from .rules import RuleTable

__all__ = ["load_rule_dir", "load_rule_texts"]


def load_rule_dir(directory: str | Path, packs: Iterable[tuple[str, str]] = ()) -> RuleSet:
    """Load every ``*.yaml`` file of ``directory`` (in name order) into a RuleSet, with the
    rule packs ``packs`` (``(name, text)`` pairs, see :func:`.reading.pack_texts`) layered on
    top."""
    return load_rule_texts(read_rule_dir(directory), packs)


def load_rule_texts(
    texts: Iterable[tuple[str, str]], packs: Iterable[tuple[str, str]] = ()
) -> RuleSet:
    """Load rule files given as ``(name, text)`` pairs into a RuleSet, with the rule packs
    ``packs`` layered on top of them."""
    return _build(_parse(texts, packs))


def _parse(texts: Iterable[tuple[str, str]], packs: Iterable[tuple[str, str]]) -> list[ParsedFile]:
    """The files that say something (an empty file says nothing), each a mapping of the
    format's top-level keys."""
    parsed_files = []
    for pack, group in ((False, texts), (True, packs)):
        for name, text in group:
            data = load_yaml(text, name)
            if data is None:
                continue
            if not isinstance(data, YMap):
                raise RuleFileError(name, line_of(data), "a rule file is a mapping at the top")
            check_keys(name, data, FILE_KEYS, "rule file")
            parsed_files.append(ParsedFile(name, data, pack))
    return parsed_files


def _build(parsed_files: list[ParsedFile]) -> RuleSet:
    """The rule set of parsed files, built in the order the module docstring gives."""
    claims = claim_ids(parsed_files)
    resolver = CheckResolver({parsed.name for parsed in parsed_files if parsed.pack})
    table = RuleTable(claims, resolver)
    fields = Fields(table)
    for parsed in parsed_files:  # rules of no field first: kinds and fields name them
        shared = parsed.data.get("rules", YList())
        for index in range(len(shared)):
            if not isinstance(shared[index], YMap):
                raise RuleFileError(
                    parsed.name, line_of(shared, index), "a shared rule must be a mapping"
                )
            table.entry(parsed.name, shared, index)
    for parsed in parsed_files:
        fields.register(parsed)
    endpoints: dict[str, EndpointSpec] = {}
    sites: dict[str, str] = {}
    for parsed in parsed_files:
        for index, entry in enumerate(parsed.data.get("endpoints", YList())):
            line = line_of(parsed.data["endpoints"], index)
            for endpoint in entry_endpoints(fields, parsed, entry, line, endpoints, sites):
                endpoints[endpoint.name] = endpoint
    for parsed in parsed_files:  # a pack's fragments: each extends one or is used
        if parsed.pack:
            for name in parsed.data.get("fragments", YMap()):
                line = line_of(parsed.data["fragments"], name)
                fields.check_reached(parsed.name, line, name)
                fields.fragment(parsed.name, line, name)
    claims.check_used(table.rules)
    ruleset = RuleSet(
        endpoints=endpoints,
        rules=dict(table.rules),
        files=tuple(parsed.name for parsed in parsed_files),
        checks=dict(resolver.checks),
    )
    return relink(ruleset, lambda rule: table.rules.get(rule.id, rule))
