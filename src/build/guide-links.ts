// Guides link to each other as files (`[the fakes](fakes.md#errors)`), which is what reads right
// on GitHub and in an editor. On the site a guide is a page, /guide/<name>/, so the guide page
// rewrites those links in the rendered HTML: `../fakes/#errors`, relative, so any base path works.
// (Astro 7's default Markdown processor takes no remark plugins, hence the HTML.)

const GUIDE_LINK = /^(?:\.\/)?([a-z0-9-]+)\.md(#[^\s]*)?$/;

/** The site's URL for a link between guides, or undefined when `url` is not one. */
export function guidePageLink(url: string): string | undefined {
  const m = GUIDE_LINK.exec(url);
  return m ? `../${m[1]}/${m[2] ?? ''}` : undefined;
}

/** A rendered guide with its links to sibling guides pointing at their pages. */
export function linkGuidePages(html: string): string {
  return html.replace(/(<a\s[^>]*?\bhref=")([^"]*)(")/g, (whole, before: string, url: string, after: string) => {
    const page = guidePageLink(url);
    return page === undefined ? whole : `${before}${page}${after}`;
  });
}
