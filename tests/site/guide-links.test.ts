// Guides link to each other as files (right on GitHub); the site serves them as pages.

import { describe, expect, it } from 'vitest';
import { guideLinks, guidePageLink } from '../../src/build/guide-links.ts';

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

  it('are rewritten only in docs/, by the remark plugin', () => {
    const tree = () => ({ type: 'root', children: [{ type: 'paragraph', children: [{ type: 'link', url: 'fakes.md#the-trace', children: [] }] }] });
    const inGuide = tree();
    guideLinks()(inGuide, { path: '/repo/docs/authoring.md' });
    expect(inGuide.children[0]!.children[0]!.url).toBe('../fakes/#the-trace');
    const inStep = tree();
    guideLinks()(inStep, { path: '/repo/labs/x/steps/01-a.md' });
    expect(inStep.children[0]!.children[0]!.url).toBe('fakes.md#the-trace');
  });
});
