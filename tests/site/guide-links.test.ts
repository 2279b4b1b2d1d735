// Guides link to each other as files (right on GitHub); the site serves them as pages.

import { describe, expect, it } from 'vitest';
import { guidePageLink, linkGuidePages } from '../../src/build/guide-links.ts';

describe('links between guides', () => {
  it('point at the guide’s page, keeping the anchor, relative to the current guide', () => {
    expect(guidePageLink('fakes.md')).toBe('../fakes/');
    expect(guidePageLink('./fakes.md#errors')).toBe('../fakes/#errors');
  });

  it('leave every other link alone', () => {
    for (const url of ['https://example.com/a.md', '#errors', '../README.md', 'grader/report.schema.json', '/guide/fakes/']) {
      expect(guidePageLink(url)).toBeUndefined();
    }
  });

  it('are rewritten in a rendered guide’s anchors only', () => {
    const html = '<p>See <a href="fakes.md#the-trace">the trace</a>, <a href="#checks">checks</a> and <code>href="fakes.md"</code>.</p>';
    expect(linkGuidePages(html)).toBe(
      '<p>See <a href="../fakes/#the-trace">the trace</a>, <a href="#checks">checks</a> and <code>href="fakes.md"</code>.</p>',
    );
  });
});
