"""A YAML alias bomb in any file wp-migrate reads is refused with one line naming the file, and the run goes on.

Every entry point, through the command line: publish's front matter, verify's front matter, a rule file
(convert --mappings, mappings check), the credentials file, a Jekyll _config.yml in the output folder; and the
old-URL lines a sync reads back. One loader does it (migrate/yamlsafe.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from migrate.load.directory import _without_aliases
from migrate.load.urls import url_key
from migrate.verify import _front_matter
from migrate.yamlsafe import ALIASES_REFUSED, MAX_ALIAS_NODES, load_yaml
from tests.wordpress.wp import WordPress

from .conftest import ROOT, SAMPLE
from .test_xmlrpc import cli_env

#: 9^10 values (3.5 billion) from 400 bytes, as lines of a mapping; the line "a4: …" is where the expansion first
#: passes the bound (9^5 values).
BOMB = "\n".join(["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 11)])


def run(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = env or {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    env["PATH"] = str(Path(sys.executable).parent) + ":" + env["PATH"]  # (hugo, installed beside the interpreter)
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300, check=False)


def test_the_loader_bounds_aliases_and_keeps_the_ordinary_ones():
    with pytest.raises(yaml.YAMLError) as e:
        load_yaml(BOMB)
    assert e.value.problem == ALIASES_REFUSED  # type: ignore[attr-defined]
    with pytest.raises(yaml.YAMLError) as e:
        load_yaml("title: x\nloop: &a [1, *a]\n")  # an alias inside what it names: a walk never ends
    assert e.value.problem == ALIASES_REFUSED  # type: ignore[attr-defined]
    shared = "base: &b {layout: post, tags: [a, b]}\none: {<<: *b, title: One}\ntwo: *b\n"
    assert load_yaml(shared)["one"] == {"layout": "post", "tags": ["a", "b"], "title": "One"}
    wide = "x: &x [" + ", ".join(["1"] * 99) + "]\ny: [" + ", ".join(["*x"] * (MAX_ALIAS_NODES // 100)) + "]\n"
    assert len(load_yaml(wide)["y"]) == MAX_ALIAS_NODES // 100  # (up to the bound: 100 values an alias)
    with pytest.raises(yaml.YAMLError):
        load_yaml(wide.replace("]\n", ", *x]\n", 2).replace("[1,", "[1, 1,", 1))


def test_a_rule_file_with_a_bomb_is_refused_naming_it(tmp_path):
    (tmp_path / "bomb.yaml").write_text(BOMB + "\n")
    for args in (("mappings", "check", "bomb.yaml"), ("convert", SAMPLE, "--out", "site", "--mapping", "bomb.yaml")):
        result = run(*args, cwd=tmp_path)
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "bomb.yaml" in lines[0] and "line 5," in lines[0], lines
        assert ALIASES_REFUSED in lines[0]


def test_a_credentials_file_with_a_bomb_is_refused_naming_it(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("sites:\n  http://127.0.0.1:9/:\n    user: me\n" + BOMB + "\n")
    config.chmod(0o600)
    result = run("convert", "--from-site", "http://127.0.0.1:9/", "--api", "xmlrpc", "--config", config, "--out",
                 "site", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "config.yaml" in lines[0] and ALIASES_REFUSED in lines[0], lines


def test_a_jekyll_config_with_a_bomb_is_noted_and_the_run_goes_on(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "_config.yml").write_text("title: Mine\n" + BOMB + "\n")
    result = run("convert", SAMPLE, "--out", "site", "--layout", "jekyll", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert f"_config.yml not read: line 6: {ALIASES_REFUSED}" in result.stdout
    assert len(list((tmp_path / "site" / "_posts").glob("*.md"))) > 5


def test_old_url_lines_read_back_in_a_sync_are_bounded_too():
    text = "---\ntitle: T\naliases:\n- /old/\n- &x [*x]\n- /older/\n---\nbody\n"
    kept = "---\ntitle: T\naliases:\n- &x [*x]\n- /older/\n---\nbody\n"
    assert _without_aliases(text, {url_key("/old/")}, "aliases") == kept


def test_verify_notes_a_front_matter_bomb(tmp_path):
    """(verify reads the front matter of what the generator built: Hugo and Jekyll refuse such a file first, so
    this is the reader itself.)"""
    bomb = tmp_path / "bomb.md"
    bomb.write_text("---\ntitle: Bomb\n" + BOMB + "\n---\nbody\n")
    notes: list[str] = []
    assert _front_matter(bomb, notes) == {}
    assert notes == [f"{bomb}: front matter not read: line 7: {ALIASES_REFUSED}"]


def test_publish_skips_a_front_matter_bomb_and_plans_the_rest(wordpress: WordPress, tmp_path: Path) -> None:
    folder = tmp_path / "site" / "content" / "posts"
    folder.mkdir(parents=True)
    (folder / "bomb.md").write_text("---\ntitle: Bomb\n" + BOMB + "\n---\nbody\n")
    (folder / "fine.md").write_text("---\ntitle: Fine and new\ndraft: true\n---\nA fine body.\n")
    result = run("publish", tmp_path / "site", "--site", wordpress.url, "--dry-run", cwd=tmp_path,
                 env=cli_env(wordpress, tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert "2 items: 1 would create, 0 would skip, 1 would fail" in result.stdout, result.stdout
    assert f"failed: content/posts/bomb.md: front matter holds {ALIASES_REFUSED} (line 7)" in result.stdout


def test_every_yaml_read_goes_through_the_bounded_loader():
    """One implementation: no module reads YAML but through migrate/yamlsafe.py (a new reader would skip the bound)."""
    readers = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "migrate").rglob("*.py"))
               if path.name != "yamlsafe.py"
               for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
               if any(call in line for call in ("yaml.safe_load", "yaml.load(", "yaml.full_load", "yaml.unsafe_load",
                                                "yaml.load_all", "yaml.safe_load_all", "yaml.compose"))]
    assert readers == []
