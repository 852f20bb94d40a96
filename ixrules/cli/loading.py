"""What a command reads before any body: the rule set (``--rules``, ``--pack``, the project
configuration), the lint's settings (endpoint, context snapshot, rule selection, limits) and its
excluded paths. Each failure is a ``CommandError``: one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import Rules
    from ..config import Config
    from ..lint.checker import Settings
    from ..selection import Selection


def lint_settings(args: argparse.Namespace) -> Settings:
    """Everything checked once before any body: rules, endpoint name, context snapshot."""
    from ..lint.checker import BadInput, Settings, load_context
    from ..lint.sources import MAX_BYTES
    from ..localenames import known_locale
    from .errors import CommandError

    context = text = None
    max_bytes = args.max_bytes or MAX_BYTES
    if args.context is not None:
        try:
            context, text = load_context(args.context, max_bytes)
        except BadInput as exc:
            raise CommandError(f"context {exc.failure}") from None
    settings = Settings(
        args.endpoint,
        context,
        args.rules_dir,
        config_path(args),
        packs(args.packs),
        max_bytes,
        context_text=text,
        show_skipped=args.show_skipped,
        selection=selection(args),
        locale=args.locale,
    )
    if args.locale is not None and not known_locale(args.locale):
        raise CommandError(f"--locale {args.locale!r}: no such locale (pt, es, en_US, ...)")
    rules = load(settings)
    if args.locale is None and rules.config is not None and rules.config.locale is not None:
        settings = settings.replace(locale=rules.config.locale)
    if args.endpoint is not None:
        from .info import check_endpoint

        check_endpoint(rules, args.endpoint)
    if rules.config is not None and context is None:
        for entry in rules.config.files:  # every context the configuration names, read now
            if entry.context is not None:
                try:
                    load_context(entry.context, max_bytes)
                except BadInput as exc:
                    raise CommandError(
                        f"broken configuration: {entry.file}:{entry.line}: context {exc.failure}"
                    ) from None
    return settings


def selection(args: argparse.Namespace) -> Selection:
    """The rule selection of ``--select``, ``--extend-select`` and ``--ignore``."""
    from ..selection import Selection

    def joined(groups: list[tuple[str, ...]]) -> tuple[str, ...]:
        return tuple(pattern for group in groups for pattern in group)

    select = None if args.select is None else joined(args.select)
    return Selection(select, joined(args.extend_select), joined(args.ignore))


def packs(given: list[tuple[str, str]]) -> tuple[str, ...]:
    """The ``--pack`` packs as absolute paths (each must exist)."""
    from .errors import CommandError

    for option, path in given:
        if not os.path.exists(path):
            raise CommandError(f"{option} {path}: no such file or directory")
    return tuple(os.path.abspath(path) for _, path in given)


def config_path(args: argparse.Namespace) -> str | None:
    """The configuration to use: ``--config``, else the one found upward from the folder of
    the paths linted (see ``linted_folder``) or from here; none with ``--no-config``."""
    from .errors import CommandError

    if args.no_config:
        if args.config is not None:
            raise CommandError("--config and --no-config exclude each other")
        return None
    from ..configfind import discover, linted_folder  # it imports pathlib: 4 ms of a start

    if args.config is not None:
        if not os.path.isfile(args.config):
            raise CommandError(f"configuration {args.config}: no such file")
        return os.path.abspath(str(args.config))
    found = discover(linted_folder(getattr(args, "paths", ())))
    return None if found is None else str(found)


def excluder(patterns: list[str], config: Config | None) -> Callable[[str], bool] | None:
    """Whether a path is excluded: by ``--exclude`` (relative to the working directory) or by
    the configuration's ``exclude`` (relative to its folder)."""
    if not patterns and (config is None or not config.exclude):
        return None
    from ..config import glob_regex, matches
    from .errors import CommandError

    for pattern in patterns:
        try:
            glob_regex(pattern)
        except ValueError as exc:
            raise CommandError(f"--exclude {pattern!r}: {exc}") from None
    here = os.getcwd()

    def excluded(path: str) -> bool:
        return matches(patterns, here, path) or (config is not None and config.excluded(path))

    return excluded


def load(settings: Settings) -> Rules:
    """The rule set, with a broken rule file reported as one line."""
    from ..ruleformat.errors import ConfigError, PluginError, RuleFileError
    from ..selection import SelectionError
    from .errors import CommandError

    try:
        return settings.rules()
    except (SelectionError, PluginError) as exc:  # a plugin's fact that failed on its args
        raise CommandError(str(exc)) from None
    except ConfigError as exc:
        raise CommandError(f"broken configuration: {exc}") from None
    except RuleFileError as exc:
        raise CommandError(f"broken rule file: {exc}") from None
    except OSError as exc:
        raise CommandError(f"cannot read the rules: {exc}") from None


def rules_of(args: argparse.Namespace) -> Rules:
    """The rule set of ``--rules``, ``--pack`` and the configuration."""
    from ..lint.checker import Settings

    settings = Settings(rules_dir=args.rules_dir, config=config_path(args), packs=packs(args.packs))
    return load(settings)
