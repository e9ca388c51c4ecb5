"""publish's links between the folder's posts (links.PublishLinks), without a site: which file a link leads to,
for each layout convert writes, and what is sent before and after the post it leads to exists."""

from __future__ import annotations

from migrate.links import PublishLinks, folder_url


def test_the_url_of_each_file_as_the_converted_site_builds_it() -> None:
    assert folder_url("content/posts/her.md", {}) == "/posts/her/"
    assert folder_url("content/posts/her/index.md", {}) == "/posts/her/"  # a page bundle
    assert folder_url("content/about/_index.md", {}) == "/about/"
    assert folder_url("content/about/team.md", {"slug": "the-team"}) == "/about/the-team/"
    # Jekyll files carry their own permalink.
    assert folder_url("_posts/2015-01-12-her.md", {"permalink": "/2015/01/12/her/"}) == "/2015/01/12/her/"
    assert folder_url("README.md", {}) is None


def test_links_become_permalinks_once_the_post_exists() -> None:
    links = PublishLinks([("content/posts/a.md", {}), ("content/posts/b/index.md", {}),
                          ("_posts/2015-01-12-c.md", {"permalink": "/2015/01/12/c/"}),
                          ("content/posts/skipped.md", {})])
    body = ("See [b](/posts/b/#cast), [c](/2015/01/12/c/), <a href=\"/posts/b/\">b again</a>, "
            "[skipped](/posts/skipped/), [elsewhere](/tags/x/) and [itself](/posts/a/).")
    looked_up: list[str] = []

    def lookup(path: str) -> str | None:  # c is on the site already; b is created later in the run
        looked_up.append(path)
        return "https://wp.example/2015/01/12/c/" if path.startswith("_posts/") else None

    sent = links.rewrite("content/posts/a.md", body, lookup)
    assert "[c](https://wp.example/2015/01/12/c/)" in sent
    assert "[b](/posts/b/#cast)" in sent  # not on the site yet: as it was
    assert "[elsewhere](/tags/x/)" in sent and "[itself](/posts/a/)" in sent
    links.saw("content/posts/b/index.md", {"link": "https://wp.example/?p=12"})
    assert links.stale() == []  # a's own post is not known yet: nothing to send again
    links.saw("content/posts/a.md", {"link": "https://wp.example/a/"})
    assert links.stale() == ["content/posts/a.md"]
    again = links.rewrite("content/posts/a.md", body, lookup)
    assert "[b](https://wp.example/?p=12#cast)" in again and '<a href="https://wp.example/?p=12">' in again
    assert links.stale() == []
    assert links.notes() == ["link not on the site: content/posts/a.md: /posts/skipped/ (content/posts/skipped.md "
                             "is not published to the site; the link stays as it is)"]
    assert sorted(set(looked_up)) == ["_posts/2015-01-12-c.md", "content/posts/b/index.md",
                                      "content/posts/skipped.md"]
