"""The one Japanese catalog of the Qt-free code (core/texts_ja.py and each provider module's `JA`) against the
sources, read as syntax trees: every tr("…") and tr_noop("…") has an entry with the same placeholders, no entry
is left over, a provider's texts are in its own file (and only there), and the places whose text reaches
people (errors' titles and messages, BadResponse problems, reasons, notes, load problems, a provider's labels)
are given tr() sentences, not English built on the spot."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trayapp.core.i18n import catalog, fields
from trayapp.core.texts_ja import JA as CORE_JA
from trayapp.providers import registry

registry.import_all()  # so that the catalog holds every provider's JA
catalog.cache_clear()
JA = catalog("ja")

SRC = Path(__file__).resolve().parents[2] / "trayapp"
# The CLI's own messages are English by design (scripts read them); ui/ is translated by Qt (lupdate, .ts).
NOT_CORE = {"cli.py", "history_cli.py"}


@dataclass(frozen=True)
class Call:
    where: str
    node: ast.Call


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(SRC)}:{getattr(node, 'lineno', '?')}"


MARKERS = ("tr", "tr_noop")  # a sentence made now; a template kept in a table, rendered where shown


def tr_calls(markers: tuple[str, ...] = MARKERS, under: Path = SRC) -> list[Call]:
    return [
        Call(where(path, node), node)
        for path, tree in modules()
        if path.is_relative_to(under)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in markers
    ]


def provider_file(name: str) -> Path:
    """A provider's one file, or its one package when it needs more than a file (OpenAI)."""
    package = SRC / "providers" / name
    return package if package.is_dir() else package.with_suffix(".py")


def template_of(call: Call) -> str:
    first = call.node.args[0] if call.node.args else None
    assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
        f"{call.where}: tr() needs a literal template (an f-string or a variable cannot be looked up)"
    )
    return first.value


def test_tr_is_the_core_marker_wherever_it_is_called() -> None:
    for path, tree in modules():
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in MARKERS
        ]
        if not calls:
            continue
        imported = (
            any(
                isinstance(n, ast.ImportFrom)
                and ((n.module == "i18n" and n.level == 1) or (n.module or "").endswith("core.i18n"))
                and {a.name for a in n.names} >= {c.func.id for c in calls if isinstance(c.func, ast.Name)}
                for n in ast.walk(tree)
            )
            or path == SRC / "core" / "i18n.py"
        )
        assert imported, f"{path.relative_to(SRC)} calls a tr() that is not core.i18n.tr"


def test_every_tr_call_names_exactly_its_placeholders() -> None:
    calls = tr_calls(("tr",))
    assert len(calls) > 200, "the scan found too few tr() calls: is it still reading the sources?"
    wrong = []
    for call in calls:
        template = template_of(call)
        for _, name, spec, conversion in string.Formatter().parse(template):
            if name is not None and (not name.isidentifier() or spec or conversion):
                wrong.append(f"{call.where}: {{{name}}} in {template!r}: only plain {{name}} fields translate")
        if call.node.args[1:] or any(k.arg is None for k in call.node.keywords):
            wrong.append(f"{call.where}: parameters must be keywords, spelled out (no **)")
        given = {k.arg for k in call.node.keywords}
        if given != fields(template):
            wrong.append(f"{call.where}: {template!r} takes {sorted(fields(template))}, given {sorted(given - {None})}")
    assert not wrong, "\n".join(wrong)


def test_every_template_has_a_japanese_entry_with_the_same_placeholders() -> None:
    missing = sorted({f"{c.where}: {template_of(c)!r}" for c in tr_calls() if template_of(c) not in JA})
    assert not missing, "no Japanese in core/texts_ja.py or the provider's JA for:\n" + "\n".join(missing)
    for call in tr_calls(("tr_noop",)):
        assert not call.node.keywords and len(call.node.args) == 1, f"{call.where}: tr_noop takes the template only"
    differ = [f"{en!r}: {sorted(fields(en))} vs {ja!r}" for en, ja in JA.items() if fields(en) != fields(ja)]
    assert not differ, "placeholders differ:\n" + "\n".join(differ)


def test_a_providers_texts_live_in_its_own_file() -> None:
    """A template only one provider module uses has its Japanese in that module's JA; every entry of a
    provider's JA is used by that module; no template has two entries."""
    core = SRC / "providers"
    everywhere = tr_calls()
    wrong = []
    for module in registry.modules():
        name = module.__name__.rpartition(".")[2]
        mine = {template_of(c) for c in tr_calls(under=provider_file(name))}
        elsewhere = {
            template_of(c)
            for c in everywhere
            if not c.where.startswith((f"providers/{name}.py:", f"providers/{name}/"))
        }
        own: dict[str, str] = module.JA
        wrong += [f"{name}: {t!r} is its own text: its Japanese belongs in its JA" for t in mine - elsewhere - set(own)]
        wrong += [f"{name}: JA has {t!r}, which it does not use" for t in set(own) - mine]
        wrong += [f"{name}: {t!r} is in core/texts_ja.py and in its JA" for t in set(own) & set(CORE_JA)]
    assert core.is_dir() and not wrong, "\n".join(wrong)


def test_no_catalog_entry_is_unused() -> None:
    used = {template_of(c) for c in tr_calls()}
    unused = sorted(set(JA) - used)
    assert not unused, "entries no tr() uses (reworded or removed?):\n" + "\n".join(map(repr, unused))


def test_every_entry_is_really_japanese_and_uses_the_ui_terms() -> None:
    def japanese(text: str) -> bool:
        return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or ch in "（）「」、。：" for ch in text)

    words = {en: ja for en, ja in JA.items() if " " in en}  # a key's shape (sk-or-v1-…) reads the same in Japanese
    same = [en for en, ja in words.items() if ja == en]
    assert not same, f"entries equal to their English: {same}"
    untranslated = [en for en, ja in words.items() if not japanese(ja)]
    assert not untranslated, f"entries without Japanese: {untranslated}"
    # The terms of resources/translations/trayapp_ja.ts: キーリング (not シークレットストア), APIキー, ベースURL.
    off = [ja for ja in JA.values() if any(t in ja for t in ("シークレットストア", "API キー", "ベース URL", "秘密"))]
    assert not off, off


# ---------------------------------------------------------------- text that reaches people is tr(), not built


# callee name -> (positions, keywords) of its arguments that are sentences for people
SINKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "TrayError": ((0, 1), ("title", "message")),
    "ConfigError": ((0, 1), ("title", "message")),
    "SecretStoreError": ((0, 1), ("title", "message")),
    "ProviderError": ((1, 2), ("title", "message")),
    "HttpFailure": ((1, 2), ("title", "message")),
    "Refinement": ((0,), ("hint", "title")),  # a provider's own sentence after a shared refusal
    "FetchError": ((1, 2), ("title", "message")),
    "BadResponse": ((3,), ("problem",)),
    "bad_response": ((3,), ("problem",)),
    "bad": ((1,), ("problem",)),  # Fields.bad(key, problem)
    "fail": ((1, 2), ("title", "message")),  # Rules.fail and the local helper of http.refusal
    "_fail": ((2, 3), ("title", "message")),  # engine
    "Snapshot": ((), ("unknown_reason",)),
    "Rate": ((4,), ("reason",)),
    "Forecast": ((7,), ("reason",)),
    "result": ((2,), ("reason",)),  # forecast()'s local helper
    "get_json": ((), ("secret_label",)),
    "SecretSpec": ((1,), ("label", "hint")),
    "ProviderInfo": ((), ("reads", "not_knowable")),
    "AlertKind": ((3, 4, 5), ("label", "headline", "short")),
    "Explanation": ((0, 1, 2), ("title", "meaning", "todo")),
}
APPENDED = ("notes", "problems", "_problems")  # x.append(text) onto these lists
ASSIGNED_ATTRIBUTES = ("reason", "unknown_reason", "refused")  # reading.reason = text
ASSIGNED_NAMES = ("unknown_reason",)  # unknown_reason = text, later given to Snapshot
BUILT = ("format", "lower", "upper", "capitalize", "title", "strip", "join", "replace")


def callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def built_here(expr: ast.expr) -> str | None:
    """Why `expr` is English built on the spot rather than a tr() sentence passed along; None if it is fine."""
    if isinstance(expr, ast.Constant):
        return f"the literal {expr.value!r}" if isinstance(expr.value, str) and expr.value.strip() else None
    if isinstance(expr, ast.JoinedStr):
        return "an f-string"
    if isinstance(expr, ast.BinOp):
        return "a string built with an operator"
    if isinstance(expr, ast.IfExp):
        return built_here(expr.body) or built_here(expr.orelse)
    if isinstance(expr, ast.BoolOp):
        return next((why for v in expr.values if (why := built_here(v))), None)
    if isinstance(expr, ast.Call):
        name = callee(expr)
        if name in BUILT or name == "str":
            return f"a string built with {name}()"
    return None  # tr(...), tr_noop(...), a name, an attribute, a lookup, a helper's result: checked where made


def sink_arguments(tree: ast.Module) -> Iterator[tuple[ast.AST, str, ast.expr]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = callee(node)
            if name in SINKS:
                positions, keywords = SINKS[name]
                for i in positions:
                    if i < len(node.args):
                        yield node, f"{name}() argument {i + 1}", node.args[i]
                for k in node.keywords:
                    if k.arg in keywords:
                        yield node, f"{name}({k.arg}=)", k.value
            if (
                name == "append"
                and isinstance(node.func, ast.Attribute)
                and (target := node.func.value)
                and (getattr(target, "attr", None) or getattr(target, "id", None)) in APPENDED
                and node.args
            ):
                yield node, "appended to notes/problems", node.args[0]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr in ASSIGNED_ATTRIBUTES) or (
                    isinstance(target, ast.Name) and target.id in ASSIGNED_NAMES
                ):
                    yield node, "assigned as a reason", node.value


def test_text_that_reaches_people_is_a_tr_sentence() -> None:
    found = 0
    built = []
    for path, tree in modules():
        if "ui" in path.relative_to(SRC).parts or path.name in NOT_CORE:
            continue
        for node, what, expr in sink_arguments(tree):
            found += 1
            if why := built_here(expr):
                built.append(f'{where(path, node)}: {what} is {why}; use tr("...", name=value)')
    assert found > 150, f"only {found} places found: is the scan still matching the sources?"
    assert not built, "English that would not be translated:\n" + "\n".join(built)


def test_the_sink_check_catches_english_built_on_the_spot() -> None:
    """The check itself: each way of building English is caught; tr() and passing a value along are not."""
    bad = [
        'raise ProviderError(ErrorKind.AUTH, "Key rejected", tr("x"))',
        'raise ProviderError(ErrorKind.AUTH, tr("t"), f"{name} rejected the key.")',
        'raise ConfigError(tr("t"), exc.message + " The account was kept.")',
        'raise BadResponse(P, ep, "id", "is missing")',
        'raise self.bad(key, "is {}".format(kind))',
        'reading.notes.append(f"Plan: {plan}.")',
        'problems.append("The history could not be read.")',
        'reading.reason = "balance not readable" if x else tr("y")',
        "snap = Snapshot(a, now, unknown_reason=why.lower())",
        'INFO = ProviderInfo(name="x", reads="the balance (/balance)")',
        'SecretSpec("admin", "Admin key (optional)", hint=tr_noop("h"))',
    ]
    good = [
        'raise ProviderError(ErrorKind.AUTH, tr("Key rejected"), tr("{p} rejected it.", p=name))',
        "raise ProviderError(ErrorKind.CONFIG, exc.title, exc.message)",
        'reading.notes.append(tr("Plan: {plan}.", plan=plan))',
        'snap = Snapshot(a, now, unknown_reason=None if ok else (self.reason or REASONS["denied"]))',
        'INFO = ProviderInfo(name="x", reads=tr_noop("the balance (/balance)"))',
    ]
    for source in bad:
        assert any(built_here(e) for _, _, e in sink_arguments(ast.parse(source))), source
    for source in good:
        found = list(sink_arguments(ast.parse(source)))
        assert found and not any(built_here(e) for _, _, e in found), source
