"""One style across the apps: services take keyword-only arguments, and views show a service's refusal
through `tthtcd_portal.refusal.refusal_shown` instead of their own try/except copies."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "units",
    "centres",
    "library",
    "resources",
    "evaluations",
    "courses",
    "planning",
    "reports",
    "portal",
    "background",
]
REFUSALS = {"ValidationError", "EvaluationError", "StaleAssessment"}


def _service_modules():
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        yield module
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__):
                yield importlib.import_module(f"{module.__name__}.{info.name}")


def _public_services():
    for module in _service_modules():
        for name, func in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(func) or func.__module__ != module.__name__:
                continue
            yield f"{module.__name__}.{name}", func


def test_every_service_takes_keyword_only_arguments():
    positional = [
        name
        for name, func in _public_services()
        if any(
            p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
            for p in inspect.signature(func).parameters.values()
        )
    ]
    assert positional == []


JSON_APIS = {"offline_sync"}  # courses: the phone's sync (docs/offline.md)


def _views():
    for app in APPS:
        for path in [ROOT / app / "views.py", *sorted((ROOT / app).glob("views/*.py"))]:
            if path.exists():
                yield path


@pytest.mark.parametrize("path", list(_views()), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_show_refusals_through_the_one_helper(path):
    caught = []
    tree = ast.parse(path.read_text())
    # A JSON API answers a refusal as JSON (400 with the reason), not as a page's message.
    json_apis = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name in JSON_APIS]
    skipped = {id(n) for f in json_apis for n in ast.walk(f)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
            if names & REFUSALS:
                caught.append(node.lineno)
    assert caught == [], f"{path.name} catches a service refusal itself at lines {caught}: use refusal_shown"
