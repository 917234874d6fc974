"""The report's words: one catalogue per language, `texts/nl.yaml` and `texts/en.yaml`.

Both are read once, at import, and flattened to dotted keys (`brief.title_n`,
`outcomes.waiting_weeks_mean.label`). They must hold the same keys with the same `{name}`
placeholders: a key missing in one language, or a placeholder in one but not the other,
stops the import with a `CatalogueError`. `t(key, lang, **values)` fills a text in. A key
ending in `_html` may hold inline markup (`<em>`, `<strong>`, a link): it comes back as
`markupsafe.Markup` with the filled-in values escaped, so a template shows it as markup
and every other text as plain, escaped text.

Texts of one design or lever (label, description, colour) are not here: they live behind
`design_label`, `design_description`, `design_colour` and `lever_label` in
`experiments.report.style`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml
from markupsafe import Markup

LANGS: tuple[str, ...] = ("nl", "en")
HTML_SUFFIX = "_html"


class CatalogueError(ValueError):
    """The catalogues disagree, or a text is asked for that neither holds."""


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{name}."))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise CatalogueError(f"text {name!r} is a {type(value).__name__}, not a string")
    return out


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a text."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def load_catalogue(lang: str) -> dict[str, str]:
    """The texts of one language, flattened to dotted keys (read from the package data)."""
    source = resources.files("experiments.report").joinpath("texts", f"{lang}.yaml")
    tree = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(tree, Mapping):
        raise CatalogueError(f"texts/{lang}.yaml: expected a mapping of texts")
    return _flatten(tree)


def check_catalogues(catalogues: Mapping[str, Mapping[str, str]]) -> None:
    """Raise `CatalogueError` unless every language has the same keys and placeholders, and
    markup stands only in `_html` texts."""
    first, *rest = catalogues
    for lang in rest:
        only_first = sorted(set(catalogues[first]) - set(catalogues[lang]))
        only_other = sorted(set(catalogues[lang]) - set(catalogues[first]))
        if only_first or only_other:
            raise CatalogueError(
                f"texts/{first}.yaml and texts/{lang}.yaml differ in keys: "
                f"only in {first}: {only_first}; only in {lang}: {only_other}"
            )
        for key, text in catalogues[first].items():
            if placeholders(text) != placeholders(catalogues[lang][key]):
                raise CatalogueError(
                    f"text {key!r}: placeholders differ between {first} "
                    f"{sorted(placeholders(text))} and {lang} "
                    f"{sorted(placeholders(catalogues[lang][key]))}"
                )
    for lang, catalogue in catalogues.items():
        for key, text in catalogue.items():
            if "<" in text and not key.endswith(HTML_SUFFIX):
                raise CatalogueError(
                    f"texts/{lang}.yaml: {key!r} holds markup; end its key in _html"
                )


CATALOGUES: dict[str, dict[str, str]] = {lang: load_catalogue(lang) for lang in LANGS}
check_catalogues(CATALOGUES)


def check_lang(lang: str) -> str:
    """`lang` itself if it is one of `LANGS`, else a ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def has(key: str) -> bool:
    """Whether the catalogues hold `key` (the same in every language)."""
    return key in CATALOGUES[LANGS[0]]


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`, its `{name}` fields filled in from `values`.

    An `_html` text comes back as `Markup`, with the values escaped."""
    catalogue = CATALOGUES[check_lang(lang)]
    if key not in catalogue:
        raise CatalogueError(f"no text {key!r} in texts/{lang}.yaml")
    text = catalogue[key]
    if key.endswith(HTML_SUFFIX):
        return Markup(text).format(**values)
    return text.format(**values) if values else text


def section(prefix: str, lang: str) -> dict[str, str]:
    """The raw texts under `prefix.` in `lang`, keyed by the rest of their key."""
    start = f"{prefix}."
    catalogue = CATALOGUES[check_lang(lang)]
    return {k.removeprefix(start): v for k, v in catalogue.items() if k.startswith(start)}


def join_words(items: list[str] | tuple[str, ...], lang: str, word: str = "and") -> str:
    """`a, b en c` (nl) or `a, b and c` (en); `word="or"`: `a, b of c` / `a, b or c`."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t(word, lang)} " + items[-1]


__all__ = [
    "CATALOGUES",
    "LANGS",
    "CatalogueError",
    "check_catalogues",
    "check_lang",
    "has",
    "join_words",
    "load_catalogue",
    "placeholders",
    "section",
    "t",
]
