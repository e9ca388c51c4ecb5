"""The whole job against a real WordPress: media uploaded (sizes, a PDF, the same file name in two months),
classic and block posts using them (srcset, a caption, a gallery, a featured image, links to each other and to a
draft), exported by export_wp(), converted with --media download and --media-from, built, verified."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.verify import find_hugo

from .wordpress.wp import WordPress, WordPressError

SETUP = r"""
require_once ABSPATH . 'wp-admin/includes/image.php';
function wpm_image($name, $month, $rgb) {
    $im = imagecreatetruecolor(1600, 1000);
    imagefill($im, 0, 0, imagecolorallocate($im, $rgb[0], $rgb[1], $rgb[2]));
    ob_start(); imagejpeg($im, null, 80); $bits = ob_get_clean();
    $up = wp_upload_bits($name, null, $bits, $month);
    if ($up['error']) { fwrite(STDERR, $up['error']); exit(1); }
    $id = wp_insert_attachment(array('post_mime_type' => 'image/jpeg', 'post_title' => "$month $name",
        'post_status' => 'inherit', 'guid' => $up['url'], 'post_excerpt' => "The $month poster"), $up['file']);
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $up['file']));
    return $id;
}
foreach (get_posts(array('post_type' => 'page', 'name' => 'sample-page')) as $p) {
    wp_delete_post($p->ID, true);  // its link to wp-admin is not ours to judge
}
$april = wpm_image('poster.jpg', '2015/04', array(200, 30, 30));
$may = wpm_image('poster.jpg', '2015/05', array(30, 30, 200));
$pdf = wp_upload_bits('notes.pdf', null, "%PDF-1.4\n% notes\n", '2015/06');
$pdf_id = wp_insert_attachment(array('post_mime_type' => 'application/pdf', 'post_title' => 'Notes',
    'post_status' => 'inherit', 'guid' => $pdf['url']), $pdf['file']);
$draft = wp_insert_post(array('post_title' => 'Not yet', 'post_status' => 'draft', 'post_content' => 'Soon.'));
$blocks = wp_insert_post(array('post_title' => 'Block poster', 'post_status' => 'publish',
    'post_date' => '2015-05-02 10:00:00', 'post_content' => 'placeholder'));
$classic = wp_insert_post(array('post_title' => 'Classic posters', 'post_status' => 'publish',
    'post_date' => '2015-05-01 10:00:00', 'post_content' => 'placeholder'));
$site = home_url();
$classic_content = '[caption id="attachment_' . $april . '" align="aligncenter" width="300"]'
    . wp_get_attachment_image($april, 'medium') . ' April\'s poster[/caption]' . "\n\n"
    . 'May: ' . wp_get_attachment_image($may, 'large') . "\n\n"
    . '[gallery ids="' . $april . ',' . $may . '"]' . "\n\n"
    . '<a href="' . wp_get_attachment_url($pdf_id) . '">My notes (PDF)</a>' . "\n\n"
    . 'See <a href="' . get_permalink($blocks) . '">the block post</a>, <a href="' . $site . '/?p=' . $blocks
    . '">by its id</a>, and <a href="' . $site . '/?p=' . $draft . '">a draft</a>.';
$large = wp_get_attachment_image_src($may, 'large');
$blocks_content = '<!-- wp:image {"id":' . $may . ',"sizeSlug":"large","linkDestination":"media"} -->' . "\n"
    . '<figure class="wp-block-image size-large"><a href="' . wp_get_attachment_url($may) . '"><img src="'
    . $large[0] . '" alt="May" class="wp-image-' . $may . '"/></a></figure>' . "\n<!-- /wp:image -->\n\n"
    . "<!-- wp:paragraph -->\n<p>Back to <a href=\"" . get_permalink($classic) . "\">the classic post</a>.</p>\n"
    . "<!-- /wp:paragraph -->";
wp_update_post(array('ID' => $classic, 'post_content' => $classic_content));
wp_update_post(array('ID' => $blocks, 'post_content' => $blocks_content));
set_post_thumbnail($classic, $april);
echo json_encode(array('classic' => $classic, 'blocks' => $blocks, 'draft' => $draft,
    'uploads' => wp_upload_dir()['basedir']));
"""


@pytest.fixture(scope="module")
def media_site(tmp_path_factory: pytest.TempPathFactory):
    """A fresh WordPress of its own (the stopped-site case stops it), with the media and posts above."""
    import os

    if os.environ.get("WP_MIGRATE_SKIP_WORDPRESS") == "1":
        pytest.skip("WP_MIGRATE_SKIP_WORDPRESS=1: not starting WordPress")
    try:
        wp = WordPress.start(tmp_path_factory.mktemp("media-wp"), owner_pid=os.getpid())
    except WordPressError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        ids = json.loads(wp.php(SETUP))
        export = tmp_path_factory.mktemp("media-export") / "export.xml"
        export.write_bytes(wp.export_wxr())
        uploads = tmp_path_factory.mktemp("media-backup") / "uploads"
        shutil.copytree(ids["uploads"], uploads)
        yield wp, export, uploads, ids
    finally:
        if wp.is_running():
            wp.stop()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args], catch_exceptions=False)
    return result.exit_code, result.output


def content_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(site.rglob("*.md")) if ".wp-migrate" not in p.parts)


@pytest.mark.skipif(not find_hugo(), reason="hugo is not installed")
def test_download_from_the_running_site_then_verify(media_site, tmp_path: Path) -> None:
    wp, export, _, ids = media_site
    site = tmp_path / "site"
    code, output = run("convert", str(export), "-o", str(site), "--media", "download", "--jobs", "1")
    assert code == 0, output
    assert " 0 could not be had" in output, output
    uploads = site / "static/wp-content/uploads"
    # The same name in two months: both kept, each its own image; sizes referenced and the originals.
    april, may = uploads / "2015/04/poster.jpg", uploads / "2015/05/poster.jpg"
    assert april.read_bytes() != may.read_bytes() and april.read_bytes()[:3] == b"\xff\xd8\xff"
    assert (uploads / "2015/04/poster-300x188.jpg").is_file()
    assert (uploads / "2015/05/poster-1024x640.jpg").is_file()
    assert (uploads / "2015/06/notes.pdf").read_bytes().startswith(b"%PDF")
    text = content_text(site)
    host = wp.url.split("//", 1)[1]
    # (a reference: a Markdown link or image, an HTML attribute, a front-matter value; not prose naming the site)
    leftover = [line for line in text.splitlines() if any(f"{c}http://{host}" in line for c in '("= ')
                and "Our website address is" not in line]
    # Only the link to the draft stays on the old site (it is listed as unresolved).
    assert leftover and all(f"?p={ids['draft']}" in line for line in leftover), leftover
    assert f"link not resolved: #{ids['classic']} 'Classic posters': {wp.url}/?p={ids['draft']}" in output
    assert "featured_image: /wp-content/uploads/2015/04/poster.jpg" in text
    assert "](/posts/block-poster/)" in text and "](/posts/classic-posters/)" in text
    code, verdict = run("verify", str(site))
    assert "no page: 0" in verdict and "resolves to nothing: 0" in verdict and "redirect leads nowhere: 0" in verdict
    # The one finding: the link to the draft, which a user must decide about.
    assert "points at the old host: 1" in verdict and f"?p={ids['draft']}" in verdict, verdict

    # A second run fetches nothing and changes nothing.
    before = {p: p.stat().st_mtime_ns for p in uploads.rglob("*") if p.is_file()}
    code, output = run("convert", str(export), "-o", str(site), "--media", "download", "--jobs", "1")
    assert code == 0, output
    assert "media: 0 fetched, 0 copied" in output, output
    assert " 0 new," in output and "updated" not in output.split("\n")[1]
    assert before == {p: p.stat().st_mtime_ns for p in uploads.rglob("*") if p.is_file()}


@pytest.mark.parametrize("layout", ["hugo", "jekyll", "hugo-bundle"])
def test_media_from_a_backup_with_the_old_site_stopped(media_site, tmp_path: Path, layout: str) -> None:
    wp, export, uploads, ids = media_site
    if layout != "jekyll" and not find_hugo() or layout == "jekyll" and not shutil.which("jekyll"):
        pytest.skip(f"{layout} is not installed")
    if wp.is_running():
        wp.stop()  # the old site is switched off: nothing may need it
    site = tmp_path / "site"
    layout, _, bundle = layout.partition("-")
    code, output = run("convert", str(export), "-o", str(site), "--media-from", str(uploads), "--layout", layout,
                       "--jobs", "1", *(["--media-layout", "bundle"] if bundle else []))
    assert code == 0, output
    if bundle:  # the classic post's own images beside it (the May poster both posts use: under static/)
        own = {p.name for p in (site / "content/posts/classic-posters").iterdir()}
        assert "index.md" in own and any(name.startswith("poster-300x188") for name in own), own
        assert (site / "static/wp-content/uploads/2015/05/poster.jpg").is_file()
    assert " 0 could not be had" in output, output
    code, verdict = run("verify", str(site))
    assert "no page: 0" in verdict and "resolves to nothing: 0" in verdict, verdict
    assert "points at the old host: 1" in verdict and f"?p={ids['draft']}" in verdict, verdict


@pytest.mark.parametrize("media_layout", ["site", "bundle"])
def test_publish_uploads_the_media_a_second_site_lacks(media_site, tmp_path_factory, tmp_path: Path,
                                                       media_layout: str) -> None:
    import os
    import urllib.request

    from .test_xmlrpc import cli_env, wp_migrate

    _, export, uploads, _ = media_site
    site = tmp_path / "site"
    code, output = run("convert", str(export), "-o", str(site), "--media-from", str(uploads), "--jobs", "1",
                       "--media-layout", media_layout)
    assert code == 0, output
    if media_layout == "bundle":  # each post's own files beside it, referred to by name
        assert (site / "content/posts/classic-posters/index.md").is_file()
        assert list((site / "content/posts/classic-posters").glob("*.jpg"))
        assert not (site / "content/posts/classic-posters.md").exists()
    # A post of the folder that is not published (WordPress would show its shortcode as text), and a link to it.
    (site / "content/posts/not-sent.md").write_text("---\ntitle: Not sent\n---\n\n{{< youtube abc >}}\n", "utf-8")
    classic_md = site / ("content/posts/classic-posters.md" if media_layout == "site"
                         else "content/posts/classic-posters/index.md")
    assert "](/posts/block-poster/)" in classic_md.read_text("utf-8")
    classic_md.write_text(classic_md.read_text("utf-8") + "\nAnd [one not sent](/posts/not-sent/).\n", "utf-8")
    second = WordPress.start(tmp_path_factory.mktemp("media-wp2"), owner_pid=os.getpid())
    try:
        env = cli_env(second, tmp_path)
        dry = wp_migrate("publish", site, "--site", second.url, "--dry-run", env=env)
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert (f"link to a post this run would create: {classic_md.relative_to(site)}: /posts/block-poster/"
                in dry.stdout), dry.stdout
        done = wp_migrate("publish", site, "--site", second.url, "--backup-dir", tmp_path / "backups", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "uploaded 5 media file(s) the site lacked" in done.stdout, done.stdout
        # Links between the posts are the second site's permalinks (the block post, sent first, links to the
        # classic one created after it: it is sent again); the link to a post not sent stays, and is reported.
        permalink = {slug: second.php(f"echo get_permalink(get_page_by_path('{slug}', OBJECT, 'post'));")
                     for slug in ("classic-posters", "block-poster")}
        classic = second.php("echo get_page_by_path('classic-posters', OBJECT, 'post')->post_content;")
        block = second.php("echo get_page_by_path('block-poster', OBJECT, 'post')->post_content;")
        assert f'href="{permalink["block-poster"]}"' in classic and "/posts/block-poster/" not in classic, classic
        assert f'href="{permalink["classic-posters"]}"' in block and "/posts/classic-posters/" not in block, block
        assert 'href="/posts/not-sent/"' in classic
        assert (f"link not on the site: {classic_md.relative_to(site)}: /posts/not-sent/ (content/posts/not-sent.md "
                "is not published to the site") in done.stdout, done.stdout
        block_md = "content/posts/block-poster" + (".md" if media_layout == "site" else "/index.md")
        assert f"{block_md}: sent again with the permalinks of posts created after it" in done.stdout
        content = second.php("echo get_page_by_path('classic-posters', OBJECT, 'post')->post_content;")
        urls = sorted(set(re.findall(re.escape(second.url) + r"/wp-content/uploads/[^\s)\"']+",
                                                   content)))
        assert len(urls) == 5 and "/wp-content/uploads/2015/" not in content.replace(second.url, ""), content
        assert not re.search(r'(?:src|href)="(?!https?:|/posts/not-sent/)', content), content  # nothing left local
        for url in urls:  # each image is served by the second site, the bytes that were converted
            with urllib.request.urlopen(url, timeout=30) as resp:
                served = resp.read()
            assert any(p.read_bytes() == served for p in site.rglob("*") if p.is_file()), url
        count = second.php("echo count(get_posts(array('post_type' => 'attachment', 'numberposts' => -1)));")
        again = wp_migrate("publish", site, "--site", second.url, "--backup-dir", tmp_path / "backups", env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "uploaded" not in again.stdout and "0 new" in again.stdout, again.stdout
        assert "updated" not in again.stdout.splitlines()[1] and "sent again" not in again.stdout, again.stdout
        assert second.php("echo get_page_by_path('block-poster', OBJECT, 'post')->post_content;") == block
        assert second.php("echo count(get_posts(array('post_type' => 'attachment', 'numberposts' => -1)));") == count
    finally:
        second.stop()
