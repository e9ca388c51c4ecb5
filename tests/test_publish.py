"""Publishing converted posts back, and cleaning a site in place — against the real test WordPress."""

from __future__ import annotations

import json
import uuid
import xmlrpc.client
from pathlib import Path
from typing import Any

import pytest

from migrate import pipeline
from migrate.extract.xmlrpc import SiteClient, XmlrpcSite
from migrate.publish import Publisher, clean, render_markdown, render_summary
from migrate.transform.frontmatter import parse_document
from tests.wordpress.wp import WordPress

from .test_report_html import dump_dom
from .test_xmlrpc import Rpc, cli_env, manifest, settings_for, wp_migrate

#: Everything a publish could touch, hashed: the site "byte for byte" (options without transients).
CHECKSUM = r"""
global $wpdb;
$out = '';
foreach (array('posts', 'postmeta', 'terms', 'term_taxonomy', 'term_relationships', 'termmeta',
               'comments', 'commentmeta', 'users', 'usermeta') as $t) {
    $rows = $wpdb->get_results("SELECT * FROM {$wpdb->prefix}$t ORDER BY 1, 2", ARRAY_N);
    $out .= $t . ':' . md5(serialize($rows)) . "\n";
}
$rows = $wpdb->get_results("SELECT * FROM {$wpdb->options}
                            WHERE option_name NOT LIKE '%transient%' ORDER BY 1",
                           ARRAY_N);
$out .= 'options:' . md5(serialize($rows)) . "\n";
echo $out;
"""


def checksum(wp: WordPress) -> str:
    return wp.php(CHECKSUM)


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text()
    for old, new in replacements:
        assert old in text, (old, path)
        text = text.replace(old, new, 1)
    path.write_text(text)


@pytest.fixture(scope="module")
def site(wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Posts made over XML-RPC, and the site converted into a folder (as a user would start)."""
    tag = uuid.uuid4().hex[:8]
    rpc = Rpc(wordpress)
    ids = {
        "post": int(
            rpc.newPost(
                {
                    "post_title": f"Publish me {tag}",
                    "post_status": "publish",
                    "post_content": "A <em>classic</em> paragraph.\n\nAnother one.",
                    "terms_names": {"post_tag": [f"old-tag-{tag}"], "category": [f"Cat {tag}"]},
                }
            )
        ),
        "draft": int(
            rpc.newPost(
                {"post_title": f"Draft me {tag}", "post_status": "draft", "post_content": "Draft words."}
            )
        ),
        "same": int(
            rpc.newPost(
                {
                    "post_title": f"Leave me {tag}",
                    "post_status": "publish",
                    "post_content": "<!-- wp:paragraph -->\n<p>Blocks stay blocks.</p>\n"
                    "<!-- /wp:paragraph -->",
                }
            )
        ),
    }
    home = tmp_path_factory.mktemp("publish")
    env = cli_env(wordpress, home)
    result = wp_migrate("convert", "--from-site", wordpress.url, "--out", home / "site", env=env)
    assert result.returncode == 0, result.stderr
    paths = manifest(home / "site")
    return {
        "tag": tag,
        "ids": ids,
        "home": home,
        "env": env,
        "folder": home / "site",
        "files": {k: home / "site" / paths[str(v)] for k, v in ids.items()},
    }


def test_publish_round_trip(wordpress: WordPress, site: dict[str, Any]) -> None:
    tag, ids, home, env, folder, files = (site[k] for k in ("tag", "ids", "home", "env", "folder", "files"))
    rpc = Rpc(wordpress)
    original = rpc.getPost(ids["post"])
    original_draft = rpc.getPost(ids["draft"])

    # A user edits two converted posts and writes a new one.
    edit(
        files["post"],
        (f"title: Publish me {tag}", f"title: Published {tag}"),
        ("Another one.", "Another one, **edited**.\n\n- a list\n- of two"),
        (f"- old-tag-{tag}\n", f"- old-tag-{tag}\n- new-tag-{tag}\n"),
        ("post_type: post\n", "post_type: post\nrating: 5\nregions:\n- EU\n- US\n"),
    )
    edit(files["draft"], ("Draft words.", "Draft words, edited."))
    new_file = folder / "content" / "posts" / f"new-{tag}.md"
    new_file.write_text(
        f"---\ntitle: New {tag}\nslug: new-{tag}\ncategories:\n- Cat {tag}\n---\n\nFresh *text*.\n"
    )
    secret_file = folder / "content" / "posts" / f"secret-{tag}.md"
    secret_file.write_text(f"---\ntitle: Secret {tag}\ndraft: true\npassword_protected: true\n---\n\nHush.\n")

    # Dry run: a diff on the terminal and in the report; the site stays byte for byte as it was.
    before = checksum(wordpress)
    report = home / "dry-run.html"
    dry = wp_migrate(
        "publish",
        folder,
        "--site",
        wordpress.url,
        "--dry-run",
        "--diff",
        "--report",
        report,
        "--backup-dir",
        home / "backups",
        env=env,
        cwd=home,
    )
    assert dry.returncode == 0, dry.stderr
    assert checksum(wordpress) == before
    assert not (home / "backups").exists() and not (folder / ".wp-migrate" / "published.json").exists()
    out = dry.stdout
    assert "2 would create, 2 would update" in out and "0 would fail" in out
    assert f"-title: Publish me {tag}" in out and f"+title: Published {tag}" in out
    assert (
        "+Another one, **edited**." in out and f"+- new-tag-{tag}" in out and "+wp_migrate_rating: '5'" in out
    )
    assert "-Draft words." in out and f"+++ b/content/posts/new-{tag}.md" in out
    assert wordpress.password not in out + dry.stderr
    dom = dump_dom(report)
    assert f"Published {tag}" in dom and f"Draft me {tag}" in dom and f"New {tag}" in dom
    check = wp_migrate("publish", folder, "--site", wordpress.url, "--check", env=env, cwd=home)
    assert check.returncode == 1 and checksum(wordpress) == before

    # The real thing.
    real = wp_migrate(
        "publish", folder, "--site", wordpress.url, "--backup-dir", home / "backups", env=env, cwd=home
    )
    assert real.returncode == 0, real.stderr
    assert (
        "2 new, 2 updated" in real.stdout and "0 failed" in real.stdout and "backed up 2 posts" in real.stdout
    )
    post = rpc.getPost(ids["post"])
    assert post["post_title"] == f"Published {tag}" and post["post_status"] == "publish"
    assert post["post_content"] == render_markdown(
        "A *classic* paragraph.\n\nAnother one, **edited**.\n\n- a list\n- of two\n"
    )
    assert sorted(t["name"] for t in post["terms"] if t["taxonomy"] == "post_tag") == [
        f"new-tag-{tag}",
        f"old-tag-{tag}",
    ]
    fields = {f["key"]: f["value"] for f in post["custom_fields"]}
    assert fields["wp_migrate_rating"] == "5" and json.loads(fields["wp_migrate_regions"]) == ["EU", "US"]
    draft = rpc.getPost(ids["draft"])
    assert draft["post_status"] == "draft" and draft["post_content"] == "<p>Draft words, edited.</p>"
    assert rpc.getPost(ids["same"])["post_modified_gmt"] == rpc.getPost(ids["same"])["post_modified_gmt"]
    created = {
        p["post_title"]: p
        for p in rpc.getPosts(
            {"post_status": ["draft", "publish"], "number": 50, "orderby": "ID", "order": "DESC"}
        )
    }
    assert created[f"New {tag}"]["post_status"] == "publish"
    assert [t["name"] for t in created[f"New {tag}"]["terms"]] == [f"Cat {tag}"]
    assert created[f"Secret {tag}"]["post_status"] == "draft"  # never published without its password

    # The originals are in the backup folder.
    backups = {p.name: p for p in (home / "backups").rglob("*.json")}
    assert set(backups) == {f"{ids['post']}.json", f"{ids['draft']}.json"}
    saved = json.loads(backups[f"{ids['post']}.json"].read_text())
    assert saved["post_content"] == original["post_content"] and saved["post_title"] == original["post_title"]
    assert (
        json.loads(backups[f"{ids['draft']}.json"].read_text())["post_content"]
        == original_draft["post_content"]
    )
    assert (backups[f"{ids['post']}.json"].with_suffix(".html")).read_text() == original["post_content"]
    # Backups hold private posts and passwords: their owner's alone, as is the folder's record.
    for path in (home / "backups").rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
    assert (folder / ".wp-migrate" / "published.json").stat().st_mode & 0o777 == 0o600

    # Publishing the same folder again changes nothing.
    before = checksum(wordpress)
    again = wp_migrate(
        "publish", folder, "--site", wordpress.url, "--backup-dir", home / "backups", env=env, cwd=home
    )
    assert again.returncode == 0 and " 0 new, " in again.stdout and "updated" not in again.stdout, (
        again.stdout
    )
    assert checksum(wordpress) == before
    client = SiteClient(settings_for(wordpress)).connect()
    assert Publisher(client, folder, dry_run=True).run().exit_code(check=True) == 0

    # Converting the site again gives back the edited files (the round trip holds).
    fresh = home / "fresh"
    pipeline.convert(XmlrpcSite(client), fresh)
    front, body = parse_document((fresh / files["post"].relative_to(folder)).read_text())
    assert front["title"] == f"Published {tag}" and "Another one, **edited**." in body


def test_a_file_for_another_post_is_skipped(
    wordpress: WordPress, site: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "stray.md").write_text(
        f"---\ntitle: Something else\nslug: something-else-{site['tag']}\n"
        f"wordpress_id: {site['ids']['same']}\n---\n\nx\n"
    )
    (folder / "content" / "notes.md").write_text("Just notes, no front matter.\n")
    (folder / "content" / "hugo.md").write_text('---\ntitle: Figures\n---\n\n{{< figure src="a.png" >}}\n')
    client = SiteClient(settings_for(wordpress)).connect()
    report = Publisher(client, folder, dry_run=True).run()
    reasons = {e.path: (e.outcome, e.reason) for e in report.entries}
    assert reasons["content/stray.md"][0] == "skipped"
    assert "is another post on the site" in reasons["content/stray.md"][1]
    assert reasons["content/notes.md"] == ("skipped", "not a converted post (no front matter with a title)")
    assert reasons["content/hugo.md"][0] == "skipped" and "Hugo shortcodes" in reasons["content/hugo.md"][1]
    assert report.counts["new"] == report.counts["updated"] == 0


def test_clean_removes_boilerplate_in_place(wordpress: WordPress, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    rpc = Rpc(wordpress)
    classic = (
        'A real paragraph.\n\n[gallery ids="1"]\n\n'
        '<div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3></div>\n\n'
        "Share this:\n\nTwitter\n\nFacebook\n\nThe last real line."
    )
    blocks = (
        "<!-- wp:paragraph -->\n<p>Block text.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:html -->\n"
        '<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3></div>\n<!-- /wp:html -->'
    )
    ids = [
        int(
            rpc.newPost(
                {"post_title": f"Clean classic {tag}", "post_status": "publish", "post_content": classic}
            )
        ),
        int(
            rpc.newPost(
                {"post_title": f"Clean blocks {tag}", "post_status": "publish", "post_content": blocks}
            )
        ),
        int(
            rpc.newPost(
                {
                    "post_title": f"Already clean {tag}",
                    "post_status": "publish",
                    "post_content": "Nothing to remove.",
                }
            )
        ),
    ]
    env = cli_env(wordpress, tmp_path)
    only = [a for i in ids for a in ("--id", str(i))]

    before = checksum(wordpress)
    dry = wp_migrate(
        "clean",
        "--site",
        wordpress.url,
        *only,
        "--dry-run",
        "--diff",
        "--report",
        tmp_path / "c.json",
        env=env,
        cwd=tmp_path,
    )
    assert dry.returncode == 0, dry.stderr
    assert checksum(wordpress) == before and not (tmp_path / "wp-migrate-backups").exists()
    assert "3 items: 0 would create, 2 would update, 1 unchanged" in dry.stdout
    assert '-<div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3></div>' in dry.stdout
    assert "-Share this:" in dry.stdout and '-<div id="jp-relatedposts"' in dry.stdout
    assert json.loads((tmp_path / "c.json").read_text())["counts"]["updated"] == 2
    client = SiteClient(settings_for(wordpress)).connect()
    assert clean(client, dry_run=True, only=set(ids)).exit_code(check=True) == 1

    real = wp_migrate("clean", "--site", wordpress.url, *only, env=env, cwd=tmp_path)
    assert real.returncode == 0 and "2 updated" in real.stdout, real.stdout + real.stderr
    cleaned = rpc.getPost(ids[0])["post_content"]
    assert cleaned == 'A real paragraph.\n\n[gallery ids="1"]\n\nThe last real line.'  # shortcode kept
    cleaned_blocks = rpc.getPost(ids[1])["post_content"]
    assert (
        "jp-relatedposts" not in cleaned_blocks
        and "<!-- wp:paragraph -->\n<p>Block text.</p>" in cleaned_blocks
    )
    saved = {p.name: json.loads(p.read_text()) for p in (tmp_path / "wp-migrate-backups").rglob("*.json")}
    assert (
        saved[f"{ids[0]}.json"]["post_content"] == classic
        and saved[f"{ids[1]}.json"]["post_content"] == blocks
    )
    again = clean(client, dry_run=True, only=set(ids))
    assert again.exit_code(check=True) == 0 and again.counts["unchanged"] == 3


def test_markdown_rendering() -> None:
    assert render_markdown("a\nb *c* ~~d~~\n\n| x | y |\n|---|---|\n| 1 | 2 |\n").startswith(
        "<p>a b <em>c</em> <s>d</s></p>\n<table>"
    )
    assert render_markdown('<div class="raw">kept</div>\n') == '<div class="raw">kept</div>'
    assert render_summary("Just *one* paragraph") == "Just <em>one</em> paragraph"
    assert render_summary("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


def test_connection_errors_stop_the_publish(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    config = tmp_path / "wp.yaml"
    config.write_text(
        "sites:\n  http://127.0.0.1:9:\n    user: u\n    password: pw-in-file\n    retries: 0\n"
    )
    config.chmod(0o600)  # (as the README says: a file others can read is warned about)
    result = wp_migrate(
        "publish",
        tmp_path / "site",
        "--site",
        "http://127.0.0.1:9",
        "--config",
        config,
        env=cli_env(None, tmp_path),
    )
    assert result.returncode == 2 and "connection refused" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "pw-in-file" not in result.stderr


def test_xmlrpc_dates_are_sent_as_written() -> None:
    from migrate.publish import _date_struct, as_datetime

    aware = _date_struct(as_datetime("2024-03-10T12:00:00+02:00"))
    assert isinstance(aware["post_date_gmt"], xmlrpc.client.DateTime)
    assert aware["post_date_gmt"].value == "20240310T10:00:00"
    assert _date_struct(as_datetime("2024-03-10T12:00:00"))["post_date"].value == "20240310T12:00:00"


def test_a_second_publish_of_the_folder_names_the_holder(wordpress: WordPress, site: dict[str, Any]) -> None:
    """Two publish runs of one folder to one site at once made duplicate posts: the second now stops at once."""
    import os

    from migrate.config import normalise_url
    from migrate.publish import publish_lock

    home, env, folder = site["home"], site["env"], site["folder"]
    before = checksum(wordpress)
    with publish_lock(folder, normalise_url(wordpress.url)[0]):
        second = wp_migrate("publish", folder, "--site", wordpress.url, "--backup-dir", home / "b2", env=env, cwd=home)
    assert second.returncode == 2
    assert second.stderr.strip().endswith(
        f"another wp-migrate run (process {os.getpid()}) is using this folder to publish to "
        f"{normalise_url(wordpress.url)[0]} — wait for it to finish, or stop it")
    assert checksum(wordpress) == before


def test_publish_follows_no_link_out_of_its_folder(wordpress: WordPress, site: dict[str, Any]) -> None:
    home, env, folder = site["home"], site["env"], site["folder"]
    outside = home / "outside.md"
    outside.write_text("---\ntitle: Not in the folder\n---\nSECRET words from elsewhere.\n")
    link = folder / "content" / "posts" / "linked.md"
    link.symlink_to(outside)
    try:
        dry = wp_migrate("publish", folder, "--site", wordpress.url, "--dry-run", "--diff", env=env, cwd=home)
    finally:
        link.unlink()
    assert "SECRET" not in dry.stdout + dry.stderr
    assert "would skip 1: a symbolic link: not followed" in dry.stdout
    assert dry.returncode == 0, dry.stdout + dry.stderr
