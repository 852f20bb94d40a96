"""A project's configuration: its rule packs, which rules it silences or gives another severity
(everywhere, or in the files a glob matches), and the endpoint and context of its files, read
from ``.ixrules.yaml`` or ``[tool.ixrules]`` in ``pyproject.toml``, found from the working
directory upward (stopping at the repository root).

Everything wrong in a configuration is a :class:`ConfigError` naming the file and line, as a
broken rule file is. The result is plain, picklable data (:class:`Config`), so worker processes
and threads share it and no call ever consults the file again. :func:`configured_ruleset` builds
the rule set a configuration asks for (what :meth:`ixrules.Rules.from_config` wraps), with the
command line's rule selection (:mod:`ixrules.selection`) layered over it.

>>> config = parse_config(".ixrules.yaml", '''
... ignore: [guide.loaded_at.*]
... files:
...   - {match: "updates/*.json", endpoint: invoices.update}
... exclude: [package.json]
... per-file-ignores:
...   "legacy/*.json": [document.due_date.*]
... ''', root="/project")
>>> config.endpoint_for("/project/updates/7.json"), config.excluded("/project/web/package.json")
('invoices.update', True)
>>> [(setting.pattern, setting.severity, setting.line) for setting in config.severities]
[('guide.loaded_at.*', 'off', 2)]
>>> config.ignored_for("/project/legacy/1.json"), config.ignored_for("/project/new/1.json")
(('document.due_date.*',), ())
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .configfind import TOML_NAME, YAML_NAME, discover
from .model import SEVERITIES as RULE_SEVERITIES
from .ruleformat.errors import ConfigError, RuleFileError
from .ruleformat.reading import YList, YMap, line_of, load_yaml
from .ruleformat.severities import SeveritySetting
from .selection import UNCHANGED, Selection, SelectionError, is_pattern, matching, resolve
from .selection import check as check_pattern

if TYPE_CHECKING:
    from .model import RuleSet

__all__ = [
    "Config",
    "ConfigError",
    "FileIgnores",
    "FileSettings",
    "SeveritySetting",
    "configured_ruleset",
    "discover",
    "load_config",
    "parse_config",
    "selected_ruleset",
]

#: What a ``severity`` setting may give a rule: one of the rule format's severities, or ``off``
#: (the rule is dropped, as ``ignore`` does).
SEVERITIES = (*RULE_SEVERITIES, "off")


@dataclass(frozen=True)
class FileSettings:
    """One ``files`` entry: the files it matches and what they are checked with."""

    match: str
    endpoint: str | None = None
    context: str | None = None  # an absolute path
    file: str = ""
    line: int = 1


@dataclass(frozen=True)
class FileIgnores:
    """One ``per-file-ignores`` entry: a file glob, and the rule ids or globs not checked in the
    files it matches (after the rule selection, as ruff's per-file ignores)."""

    match: str
    rules: tuple[str, ...]
    file: str = "<config>"
    line: int = 1


@dataclass(frozen=True)
class Config:
    """A loaded configuration (the empty one when there is none). Paths are absolute; globs
    are relative to ``root``, the configuration's folder."""

    path: str | None = None
    root: str = "."
    #: The rule packs to layer over the rules, in order (absolute paths; the key ``rules``).
    packs: tuple[str, ...] = ()
    #: The ``ignore`` entries (severity ``off``), then the ``severity`` ones, in order.
    severities: tuple[SeveritySetting, ...] = ()
    files: tuple[FileSettings, ...] = ()
    exclude: tuple[str, ...] = ()
    strict: bool = False
    per_file_ignores: tuple[FileIgnores, ...] = ()

    def endpoint_for(self, name: str) -> str | None:
        """The endpoint of the last ``files`` entry that matches ``name`` and gives one."""
        return self._last(name, "endpoint")

    def context_for(self, name: str) -> str | None:
        """The context file of the last ``files`` entry that matches ``name`` and gives one."""
        return self._last(name, "context")

    def excluded(self, name: str) -> bool:
        """True when ``name`` (a path) matches an ``exclude`` glob."""
        return matches(self.exclude, self.root, name)

    def ignored_for(self, name: str) -> tuple[str, ...]:
        """The rule ids and globs of every ``per-file-ignores`` entry that matches ``name``."""
        return tuple(
            pattern
            for entry in self.per_file_ignores
            if matches((entry.match,), self.root, name)
            for pattern in entry.rules
        )

    def _last(self, name: str, key: str) -> str | None:
        found = None
        for entry in self.files:
            value = getattr(entry, key)
            if value is not None and matches((entry.match,), self.root, name):
                found = value
        return found


# --- globs ------------------------------------------------------------------------------


def matches(patterns: Iterable[str], root: str, name: str) -> bool:
    """True when ``name`` (relative to the working directory, or absolute) matches one of
    ``patterns``, which are relative to ``root``. A pattern without ``/`` matches a file or
    folder of that name anywhere below ``root``; ``**`` matches any folders; a folder that
    matches holds only matching files."""
    relative = os.path.relpath(os.path.abspath(name), os.path.abspath(root)).replace(os.sep, "/")
    if relative == ".." or relative.startswith("../"):
        return False
    return any(glob_regex(pattern).match(relative) for pattern in patterns)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a path glob; ValueError for a glob that is not one.

    >>> bool(glob_regex("fixtures/**/*.json").match("fixtures/a/b/c.json"))
    True
    >>> bool(glob_regex("*.json").match("a/x.json")), bool(glob_regex("/x.json").match("a/x.json"))
    (True, False)
    """
    if not pattern or pattern.strip() != pattern:
        raise ValueError("a glob must not be empty or start or end with blanks")
    body = pattern
    while body.startswith("./"):  # `./payloads/*.json` is `payloads/*.json`
        body = body[2:]
    anchored = "/" in body.rstrip("/")
    body = body.strip("/") if anchored else body.rstrip("/")
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = body.find("]", i + 2 if body.startswith("[!", i) else i + 1)
            if end < 0:
                raise ValueError(f"unclosed '[' in the glob {pattern!r}")
            inner = body[i + 1 : end]
            inner = "^" + inner[1:] if inner.startswith("!") else inner
            out.append(f"[{inner.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    source = ("" if anchored else "(?:.*/)?") + "".join(out) + "(?:/.*)?\\Z"
    return re.compile(source)  # short paths only: escaped text and [^/]* parts


# --- finding and reading ----------------------------------------------------------------


def load_config(path: str | Path) -> Config:
    """Read and check the configuration file ``path`` (``.ixrules.yaml``-like YAML, or a
    ``pyproject.toml``)."""
    file = _shown(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(file, 1, f"cannot read: {reason}") from None
    root = str(Path(path).resolve().parent)
    chain = [str(Path(path).resolve())]
    return parse_config(file, text, root=root, toml=Path(path).name.endswith(".toml"), chain=chain)


def parse_config(
    file: str, text: str, *, root: str = ".", toml: bool = False, chain: Sequence[str] = ()
) -> Config:
    """A configuration from its text; ``file`` names it in errors, ``root`` is its folder,
    ``chain`` the configurations that include it (to refuse a cycle)."""
    data = _toml(file, text) if toml else _yaml(file, text)
    return _Reader(file, root).read(data, list(chain))


def _shown(path: str | Path) -> str:
    """A path as errors show it: relative to the working directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return str(path) if relative.startswith("..") else relative


def _yaml(file: str, text: str) -> YMap:
    try:
        data = load_yaml(text, file)
    except ConfigError:
        raise
    except RuleFileError as exc:
        raise ConfigError(exc.file, exc.line, exc.problem) from None
    if data is None:
        empty = YMap()
        empty.line, empty.key_lines = 1, {}
        return empty
    if not isinstance(data, YMap):
        raise ConfigError(file, line_of(data), "a configuration is a mapping at the top")
    return data


# --- pyproject.toml ---------------------------------------------------------------------

_TOML_ERROR_LINE = re.compile(r"at line (\d+)")


def _toml(file: str, text: str) -> YMap:
    """``[tool.ixrules]`` as a YMap whose lines are found in the text (tomllib keeps none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        raise ConfigError(
            file, int(found.group(1)) if found else 1, f"not valid TOML: {exc}"
        ) from None
    table = data.get("tool", {}).get("ixrules", {})
    lines = text.splitlines()
    header = _header_line(lines, "tool.ixrules") or 1
    if not isinstance(table, dict):
        raise ConfigError(file, header, "tool.ixrules must be a table")
    lined: YMap = _lined(table, lines, "tool.ixrules", header)
    return lined


def _header_line(lines: Sequence[str], table: str, nth: int = 0) -> int | None:
    """The line of the ``nth`` header ``[table]`` (or ``[[table]]``)."""
    found = []
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if text.startswith("[") and text.endswith("]") and text.strip("[] \t") == table:
            found.append(number)
    return found[nth] if nth < len(found) else None


def _key_line(lines: Sequence[str], key: str, after: int) -> int | None:
    """The first line from ``after`` on that sets ``key`` (bare or quoted, at the start of
    the line or inside an inline table)."""
    spellings = (key, f'"{key}"', f"'{key}'")
    for number in range(max(after, 1), len(lines) + 1):
        line = lines[number - 1]
        for spelling in spellings:
            at = line.find(spelling)
            while at >= 0:
                before = line[:at].rstrip()
                rest = line[at + len(spelling) :].lstrip()
                if rest.startswith("=") and (before == "" or before.endswith(("{", ","))):
                    return number
                at = line.find(spelling, at + 1)
    return None


def _lined(value: Any, lines: Sequence[str], table: str, line: int) -> Any:
    if isinstance(value, dict):
        out = YMap()
        out.line, out.key_lines = line, {}
        for key, item in value.items():
            here = _header_line(lines, f"{table}.{key}") or _key_line(lines, key, line) or line
            out[key] = _lined(item, lines, f"{table}.{key}", here)
            out.key_lines[key] = here
        return out
    if isinstance(value, list):
        seq = YList()
        seq.line, seq.item_lines = line, []
        for index, item in enumerate(value):
            here = _header_line(lines, table, index) or line
            seq.append(_lined(item, lines, table, here))
            seq.item_lines.append(here)
        return seq
    return value


# --- checking ---------------------------------------------------------------------------

_TYPES: dict[str, str] = {
    "rules": "a list of paths",
    "ignore": "a list of rule ids or globs",
    "severity": "a mapping of rule ids or globs to error, warning or off",
    "files": "a list of {match, endpoint, context} mappings",
    "exclude": "a list of globs",
    "strict": "true or false",
    "per-file-ignores": "a mapping of file globs to lists of rule ids or globs",
}
_MAPPINGS = ("severity", "per-file-ignores")
_FILES_KEYS = ("match", "endpoint", "context")


class _Reader:
    """Checks one configuration's data, each problem at its file and line."""

    def __init__(self, file: str, root: str) -> None:
        self.file = file
        self.root = root

    def fail(self, line: int, problem: str) -> ConfigError:
        return ConfigError(self.file, line, problem)

    def read(self, data: YMap, chain: list[str]) -> Config:
        for key, value in data.items():
            if key not in _TYPES:
                known = ", ".join(_TYPES)
                raise self.fail(line_of(data, key), f"unknown key {key!r} (known: {known})")
            if key == "strict" and not isinstance(value, bool):
                raise self.fail(line_of(data, key), f"strict must be {_TYPES[key]}")
            if key in _MAPPINGS and not isinstance(value, YMap):
                raise self.fail(line_of(data, key), f"{key} must be {_TYPES[key]}")
            if key not in ("strict", *_MAPPINGS) and not isinstance(value, YList):
                raise self.fail(line_of(data, key), f"{key} must be {_TYPES[key]}")
        severities = [
            SeveritySetting(pattern, "off", self.file, line)
            for pattern, line in self.strings(data, "ignore")
        ]
        table = data.get("severity", YMap())
        for pattern, severity in table.items():
            line = line_of(table, pattern)
            if severity is False:  # YAML 1.1 reads a bare `off` as false
                severity = "off"
            if severity not in SEVERITIES:
                raise self.fail(line, f"severity of {pattern!r} must be error, warning or off")
            severities.append(SeveritySetting(pattern, severity, self.file, line))
        exclude = []
        for pattern, line in self.strings(data, "exclude"):
            self.glob(pattern, line)
            exclude.append(pattern)
        packs = list(self.packs(data, chain))
        return Config(
            path=self.file,
            root=self.root,
            packs=tuple(packs),
            severities=tuple(severities),
            files=tuple(self.files(data)),
            exclude=tuple(exclude),
            strict=data.get("strict", False),
            per_file_ignores=tuple(self.per_file_ignores(data)),
        )

    def per_file_ignores(self, data: YMap) -> Iterator[FileIgnores]:
        table = data.get("per-file-ignores", YMap())
        for glob, patterns in table.items():
            line = line_of(table, glob)
            self.glob(glob, line)
            if not isinstance(patterns, YList) or not patterns:
                raise self.fail(line, f"per-file-ignores of {glob!r} must be a list of rule ids")
            for index, pattern in enumerate(patterns):
                if not isinstance(pattern, str) or not is_pattern(pattern):
                    raise self.fail(
                        line_of(patterns, index),
                        f"{pattern!r} is no rule id or glob of ids (lower-case words, dots, *)",
                    )
            yield FileIgnores(glob, tuple(patterns), self.file, line)

    def strings(self, data: YMap, key: str) -> Iterator[tuple[str, int]]:
        values = data.get(key, YList())
        for index, value in enumerate(values):
            line = line_of(values, index)
            if not isinstance(value, str) or not value:
                raise self.fail(line, f"each entry of {key} must be a non-empty string")
            yield value, line

    def glob(self, pattern: str, line: int) -> None:
        try:
            glob_regex(pattern)
        except ValueError as exc:
            raise self.fail(line, f"bad glob {pattern!r}: {exc}") from None

    def files(self, data: YMap) -> Iterator[FileSettings]:
        entries = data.get("files", YList())
        for index, entry in enumerate(entries):
            line = line_of(entries, index)
            if not isinstance(entry, YMap):
                raise self.fail(line, "each entry of files must be a {match, endpoint, context}")
            for key, value in entry.items():
                where = line_of(entry, key)
                if key not in _FILES_KEYS:
                    known = ", ".join(_FILES_KEYS)
                    raise self.fail(where, f"unknown key {key!r} in a files entry (known: {known})")
                if not isinstance(value, str) or not value:
                    raise self.fail(where, f"{key} must be a non-empty string")
            if "match" not in entry:
                raise self.fail(line, "a files entry needs match: GLOB")
            self.glob(entry["match"], line_of(entry, "match"))
            context = None
            if "context" in entry:
                context = str(Path(self.root, entry["context"]).resolve())
                if not os.path.isfile(context):
                    raise self.fail(
                        line_of(entry, "context"), f"context file {entry['context']!r} not found"
                    )
            yield FileSettings(
                entry["match"], entry.get("endpoint"), context, self.file, line_of(entry, "match")
            )

    def packs(self, data: YMap, chain: list[str]) -> Iterator[str]:
        """The rule packs of ``rules``, in order; an entry naming another configuration
        brings that configuration's packs in its place (a cycle is an error)."""
        for entry, line in self.strings(data, "rules"):
            path = Path(self.root, entry).resolve()
            if not path.exists():
                raise self.fail(line, f"rule pack {entry!r} not found")
            if path.name in (YAML_NAME, TOML_NAME) or (path / YAML_NAME).is_file():
                config = path / YAML_NAME if path.is_dir() else path
                if str(config) in chain:
                    cycle = " -> ".join([*(_shown(item) for item in chain), _shown(config)])
                    raise self.fail(line, f"the rules include each other: {cycle}")
                yield from _included(config, [*chain, str(config)])
            else:
                yield str(path)


def _included(path: Path, chain: list[str]) -> tuple[str, ...]:
    """The packs of the configuration ``path``, included from another one (the whole file is
    checked, though only its ``rules`` are used)."""
    file = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, 1, f"cannot read: {exc}") from None
    toml = path.name.endswith(".toml")
    return parse_config(file, text, root=str(path.parent), toml=toml, chain=chain).packs


# --- the rule set a configuration asks for ----------------------------------------------


def configured_ruleset(
    path: str | Path | None,
    directory: str | Path,
    packs: Iterable[str | Path] = (),
    selection: Selection = UNCHANGED,
) -> tuple[RuleSet, Config]:
    """The rule set the configuration ``path`` asks for, and the configuration: the rule files
    of ``directory`` with its packs (then ``packs``) layered over them, its ``ignore`` and
    ``severity`` applied, then the command line's ``selection``, each ``files`` entry's endpoint
    and each ``per-file-ignores`` rule checked. ``path`` None finds the configuration from the
    working directory upward (none found: the rules as they are, with ``packs``). Anything
    wrong is a :class:`ConfigError` (or, in a pack, :class:`~ixrules.RuleFileError`) naming the
    file and line; a selection that names no rule is a :class:`~ixrules.selection.SelectionError`.

    >>> ruleset, config = configured_ruleset(None, "rules")
    >>> config.path is None, "invoices.create" in ruleset.endpoints
    (True, True)
    """
    # YAML: only to build a rule set
    from .ruleformat.builder import load_rule_dir
    from .ruleformat.reading import pack_texts

    found = Path(path) if path is not None else discover()
    config = load_config(found) if found is not None else Config()
    ruleset = load_rule_dir(directory, pack_texts([*config.packs, *packs]))
    for ignores in config.per_file_ignores:
        for pattern in ignores.rules:
            try:
                check_pattern(ruleset.rules, pattern)
            except SelectionError as exc:
                raise ConfigError(ignores.file, ignores.line, str(exc)) from None
    ruleset = selected_ruleset(ruleset, config, selection)
    for entry in config.files:
        if entry.endpoint is not None and entry.endpoint not in ruleset.endpoints:
            raise ConfigError(entry.file, entry.line, f"unknown endpoint {entry.endpoint!r}")
    return ruleset, config


def selected_ruleset(ruleset: RuleSet, config: Config, selection: Selection = UNCHANGED) -> RuleSet:
    """``ruleset`` with the configuration's ``ignore`` and ``severity`` applied, then the
    command line's ``selection`` (which wins: its ``select`` turns back on a rule the
    configuration turned off)."""
    from .ruleformat.severities import apply_severities

    levels = list(config.severities)
    if selection:
        for option, pattern in selection.named():
            try:
                check_pattern(ruleset.rules, pattern)
            except SelectionError as exc:
                raise SelectionError(f"{option} {exc}") from None
        ids = list(ruleset.rules)
        configured = {rule_id: _level(rule_id, config.severities) for rule_id in ids}
        kept = resolve(ids, [i for i in ids if configured[i][0] != "off"], selection)
        for rule_id in ids:
            level, before = configured[rule_id]
            if rule_id not in kept and level != "off":
                levels.append(SeveritySetting(rule_id, "off", "<command line>"))
            elif rule_id in kept and level == "off":
                severity = before or ruleset.rules[rule_id].severity
                levels.append(SeveritySetting(rule_id, severity, "<command line>"))
    try:
        return apply_severities(ruleset, levels)
    except ConfigError:
        raise
    except ValueError as exc:
        file, line = getattr(exc, "file", config.path or ""), getattr(exc, "line", 1)
        raise ConfigError(file, line, getattr(exc, "problem", str(exc))) from None


def _level(rule_id: str, settings: Sequence[SeveritySetting]) -> tuple[str | None, str | None]:
    """The severity the last matching setting gives ``rule_id`` (None: none matches), and the
    last one before it that was not ``off`` (what the rule is when turned back on)."""
    level = before = None
    for setting in settings:
        if fnmatch.fnmatchcase(rule_id, setting.pattern):
            if level is not None and level != "off":
                before = level
            level = setting.severity
    return level, before


def without(ruleset: RuleSet, patterns: Sequence[str]) -> RuleSet:
    """``ruleset`` less the rules ``patterns`` match (a file's ``per-file-ignores``); a
    pattern matching none of its rules (one the selection left out) drops nothing."""
    from .ruleformat.severities import apply_severities

    dropped = {rule_id for pattern in patterns for rule_id in matching(ruleset.rules, pattern)}
    if not dropped:
        return ruleset
    return apply_severities(
        ruleset, [SeveritySetting(rule_id, "off") for rule_id in sorted(dropped)]
    )
