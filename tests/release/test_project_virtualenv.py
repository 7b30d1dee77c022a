"""The language host and the dynamic-provider plugin run a project with the virtualenv its
Pulumi.yaml names (`runtime.options.virtualenv`, relative to the project directory), not with
this checkout's .venv; a virtualenv that cannot run the program fails with a message saying so.

The virtualenv here is made without pip (fast, no network) on the same base interpreter; a `.pth`
puts this checkout's packages on its path, and a module only it has (`venv_marker`) shows which
environment ran the program and the provider. tests/release/test_wheel.py does the same with the
built wheel installed for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from retool_pulumi.emulator import Emulator
from tests.release.venv_support import (
    add_marker,
    checkout_site_packages,
    make_venv,
    outputs,
    project_stack,
    site_packages,
    write_project,
)

pytestmark = pytest.mark.engine


def test_program_and_dynamic_provider_run_with_the_projects_virtualenv(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", "envs/own")
    venv = root / "envs" / "own"
    python = make_venv(venv)
    # `site.addsitedir` (not a bare path) so the checkout's own .pth files (the editable install)
    # are processed too.
    (site_packages(python) / "checkout.pth").write_text(
        f"import site; site.addsitedir({str(checkout_site_packages())!r})\n"
    )
    add_marker(python)

    with Emulator(token="venv-token") as em:
        st = project_stack(root, tmp_path / "backend", em)
        out = outputs(st.up())
        for who in ("program", "provider"):
            assert Path(out[who]["prefix"]).resolve() == venv.resolve(), (who, out[who])
            assert out[who]["marker"].startswith(str(venv)), (who, out[who])
        folders = {f["id"]: f for f in em.store.dump()["collections"]["folders"]}
        assert folders[out["folder_id"]]["name"] == "Made from the project virtualenv"
        st.destroy()
        assert out["folder_id"] not in {f["id"] for f in em.store.dump()["collections"]["folders"]}


@pytest.mark.parametrize("case", ["without-pulumi", "missing"])
def test_a_virtualenv_that_cannot_run_the_program_fails_with_a_clear_message(
    tmp_path: Path, case: str
) -> None:
    root = write_project(tmp_path / "project", "broken-venv")
    venv = root / "broken-venv"
    if case == "without-pulumi":
        make_venv(venv)
        expected = "has no `pulumi` package"
    else:
        expected = "doesn't exist"

    with Emulator(token="venv-token") as em:
        st = project_stack(root, tmp_path / "backend", em)
        with pytest.raises(auto.CommandError) as failure:
            st.preview()
        assert em.requests() == [], "nothing reached Retool"
    message = str(failure.value)
    assert expected in message and str(venv) in message and "Pulumi.yaml" in message, message
