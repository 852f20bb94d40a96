"""The rule format: rule files in, a checked :class:`~ixrules.model.RuleSet` out.

A rule directory holds YAML files, each with ``rules`` (shared by id), ``fragments`` (named
field specs, shared by every file and referenced with ``use``) and ``endpoints``. Everything
wrong with a file is a :class:`~ixrules.ruleformat.errors.RuleFileError` naming the file and
line: unknown or mistyped keys, checks the registry does not have, arguments a check does not
take, fragments that do not exist or use themselves, messages with placeholders other than
``{value}``, and rule ids defined twice.

Rule packs (a user's own files, loaded after the shipped ones) layer on top: a fragment or
endpoint they name that is already defined is extended (rules appended, fields merged), a rule
id already taken is replaced only by a rule that says ``override: true``, their rules' source
is ``user`` by default, their messages may carry their own translations
(``message: {en: ..., pt: ...}``), and they may name checks of installed plugins (the entry
point group ``ixrules.checks``). A pack that names what does not exist (a fragment no
endpoint uses, an endpoint or a field to extend, a check, a rule id to override or use) is an
error naming the closest names that exist, never a pack whose rules silently never run.

One module per job, imported one way (none imports the configuration, the API, the command
line or the run stage); this package is the only one that imports YAML:

- :mod:`.errors`: ``RuleFileError`` and ``ConfigError`` (importable without YAML);
- :mod:`.grammar`: the format's keys, value types, modes, statuses and limits, as data;
- :mod:`.reading`: files from disk and YAML into data that knows each node's line;
- :mod:`.builder`: ``load_rule_dir`` / ``load_rule_texts``, one set of files into a RuleSet,
  with :mod:`.rules` (rule nodes into rules, by id), :mod:`.fields` (field specs, fragments by
  name) and :mod:`.endpoints` (endpoint entries);
- :mod:`.packs`: the layering of rule packs: rule id claims, ``extend``, ``override``;
- :mod:`.plugins`: which check a rule names (the registry's or a plugin's) and its arguments;
- :mod:`.relink`: a rule set rebuilt with rules swapped, and which rules a spec reaches;
- :mod:`.severities`: a configuration's ``severity`` and ``ignore`` applied to a rule set;
- :mod:`.rulecache`: loaded rule sets cached on disk, keyed by the files and this code;
- :mod:`.extract`: the rules' messages for Babel's catalog extraction.

The package imports nothing itself, so ``errors`` and ``rulecache`` stay cheap to import.
"""
