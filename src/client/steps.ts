// The instructions side of a lab page: one step at a time (the URL says which: #step-2), hints
// revealed one by one on request and remembered, and a mark on every step whose checks all
// passed. Without JavaScript every step shows, one after the other.

import type { SavedWork } from './saved-work.ts';

export interface StepGuide {
  markDone(steps: readonly number[]): void;
}

const STEP_HASH = /^#(?:step-(\d+)|intro)$/;

export function setUpSteps(root: HTMLElement, saved: SavedWork): StepGuide {
  const articles = [...root.querySelectorAll<HTMLElement>('[data-step]')];
  const links = [...root.querySelectorAll<HTMLAnchorElement>('[data-step-link]')];
  const scroller = root.closest<HTMLElement>('[data-scroll]') ?? document.scrollingElement;
  root.classList.add('one-step');

  const stepFromHash = (hash: string): number | undefined => {
    const m = STEP_HASH.exec(hash);
    if (!m) return undefined;
    const n = m[1] ? Number(m[1]) : 0;
    return articles.some((a) => Number(a.dataset.step) === n) ? n : undefined;
  };

  const show = (step: number, focus: boolean) => {
    for (const article of articles) article.hidden = Number(article.dataset.step) !== step;
    for (const link of links) {
      if (Number(link.dataset.stepLink) === step) link.setAttribute('aria-current', 'step');
      else link.removeAttribute('aria-current');
    }
    try {
      sessionStorage.setItem(`whetstone:v1:lab:${saved.lab}:step`, String(step));
    } catch {
      // Remembering the step is a nicety.
    }
    if (focus) {
      scroller?.scrollTo({ top: 0 });
      articles.find((a) => Number(a.dataset.step) === step)?.querySelector<HTMLElement>('h1, h2')?.focus({ preventScroll: true });
    }
  };

  let remembered: number | undefined;
  try {
    const value = sessionStorage.getItem(`whetstone:v1:lab:${saved.lab}:step`);
    remembered = value === null ? undefined : stepFromHash(Number(value) === 0 ? '#intro' : `#step-${value}`);
  } catch {
    remembered = undefined;
  }
  show(stepFromHash(location.hash) ?? remembered ?? 0, false);
  addEventListener('hashchange', () => {
    const step = stepFromHash(location.hash);
    if (step !== undefined) show(step, true);
  });

  for (const hints of root.querySelectorAll<HTMLElement>('[data-hints-for]')) {
    const step = Number(hints.dataset.hintsFor);
    const items = [...hints.querySelectorAll<HTMLElement>('[data-hint]')];
    const button = hints.querySelector<HTMLButtonElement>('[data-show-hint]')!;
    const render = (shown: number) => {
      items.forEach((item, i) => (item.hidden = i >= shown));
      const left = items.length - shown;
      button.hidden = left <= 0;
      button.textContent = shown === 0 ? `Show a hint (${items.length} available)` : `Show another hint (${left} more)`;
    };
    let shown = Math.min(saved.hintsShown(step), items.length);
    render(shown);
    button.hidden = items.length === 0;
    button.addEventListener('click', () => {
      shown = Math.min(shown + 1, items.length);
      saved.setHintsShown(step, shown);
      render(shown);
      const revealed = items[shown - 1];
      if (revealed) {
        revealed.setAttribute('tabindex', '-1');
        revealed.focus();
      }
    });
  }

  return {
    markDone(done) {
      const set = new Set(done);
      for (const badge of root.querySelectorAll<HTMLElement>('[data-step-done]')) {
        badge.hidden = !set.has(Number(badge.dataset.stepDone));
      }
    },
  };
}
