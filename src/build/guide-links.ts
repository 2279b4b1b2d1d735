// Guides link to each other as files (`[the fakes](fakes.md#errors)`), which is what reads right
// on GitHub and in an editor. On the site a guide is a page, /guide/<name>/, so a remark plugin
// rewrites those links to the page: `../fakes/#errors`, relative, so any base path works.

interface MarkdownNode {
  type: string;
  url?: string;
  children?: MarkdownNode[];
}

const GUIDE_LINK = /^(?:\.\/)?([a-z0-9-]+)\.md(#[^\s]*)?$/;

/** The site's URL for a link between guides, or undefined when `url` is not one. */
export function guidePageLink(url: string): string | undefined {
  const m = GUIDE_LINK.exec(url);
  return m ? `../${m[1]}/${m[2] ?? ''}` : undefined;
}

function rewrite(node: MarkdownNode): void {
  if ((node.type === 'link' || node.type === 'definition') && node.url) node.url = guidePageLink(node.url) ?? node.url;
  for (const child of node.children ?? []) rewrite(child);
}

/** Remark plugin: in files under docs/, links to a sibling guide point at its page. */
export function guideLinks() {
  return (tree: MarkdownNode, file: { path?: string; history?: string[] }) => {
    const path = file.path ?? file.history?.[0] ?? '';
    if (/[\\/]docs[\\/][^\\/]+\.md$/.test(path)) rewrite(tree);
  };
}
