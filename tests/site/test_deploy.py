"""The GitHub Pages workflow: valid against the workflow schema that check-jsonschema
vendors (SchemaStore's github-workflow), and in the order a deploy needs: the test suite,
then the site built for the Pages address, then published from ``site/``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def test_the_workflow_is_valid_against_the_github_workflow_schema(tmp_path: Path) -> None:
    def check(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema",
                               "vendor.github-workflows", str(path)],
                              capture_output=True, text=True, check=False)

    done = check(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr
    # the check can fail: a misspelt key is refused
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text("utf-8").replace("runs-on:", "runs-onn:", 1), "utf-8")
    assert check(broken).returncode != 0


def test_the_workflow_tests_then_builds_for_its_address_then_publishes() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write",
                                       "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run") for step in build]
    uses = [str(step.get("uses", "")).split("@")[0] for step in build]
    test, site = runs.index("make test"), runs.index("make site")
    pages = uses.index("actions/configure-pages")
    assert test < pages < site < uses.index("actions/upload-pages-artifact")
    assert build[site]["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert build[pages]["id"] == "pages"
    assert build[uses.index("actions/upload-pages-artifact")]["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    # the same make test as CI's
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_readme_says_how_to_enable_it_and_host_elsewhere() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert ".github/workflows/deploy.yml" in readme
    assert 'Source: "GitHub Actions"' in readme
    assert "SITE_URL=https://example.org/emissions/ make site" in readme
