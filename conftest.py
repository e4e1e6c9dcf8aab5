"""Imported by pytest before any test: selects Keras 2 before TensorFlow loads, and keeps the
tests that share an expensive fixture on one worker when `make test` runs them in parallel."""

import pytest

import modules  # noqa: F401  (side effect: TF_USE_LEGACY_KERAS=1)

# A test module may set these (see pytest_collection_modifyitems).
INDEPENDENT_TESTS = "TESTS_ARE_INDEPENDENT"
GROUP_BY_FIXTURE = "XDIST_GROUP_BY_FIXTURE"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list) -> None:
    """Marks each test with its pytest-xdist group for `--dist loadgroup` (`make test`).

    A module's tests share a worker, so that its module-scoped fixtures (a pipeline run, a
    trained model) are built once. A module whose tests share nothing sets
    `TESTS_ARE_INDEPENDENT = True`, and its tests spread over the workers; one whose fixture
    is parametrized (one trained model per registered model) names that fixture in
    `XDIST_GROUP_BY_FIXTURE`, and groups per value. Without xdist the marks do nothing.
    """
    for item in items:
        module = item.module
        if getattr(module, INDEPENDENT_TESTS, False):
            continue
        group = module.__name__
        fixture = getattr(module, GROUP_BY_FIXTURE, None)
        callspec = getattr(item, "callspec", None)
        if fixture and callspec is not None and fixture in callspec.params:
            group = f"{group}[{callspec.params[fixture]}]"
        item.add_marker(pytest.mark.xdist_group(group))
