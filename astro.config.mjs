// The Whetstone site: a static Astro build (catalog, lab pages, grader bundles as static files).
import { defineConfig } from 'astro/config';

// Cross-origin isolation lets a page run the WebContainer engine (it needs SharedArrayBuffer).
// Both dev and preview send these headers; deploy/ holds the same for static hosts.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Stylesheets that Monaco's modules import become <style> tags injected when those modules run.
 * Left alone, Astro links the CSS of everything a page may import, lazily or not, in the page's
 * <head>: 170 KB of editor styles would block the first paint of every lab page.
 */
function lazyEditorStylesheets() {
  const PREFIX = '\0whetstone-lazy-css:';
  return {
    name: 'whetstone-lazy-editor-stylesheets',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !/\.css$/.test(source) || !/[\\/]node_modules[\\/]monaco-editor[\\/]/.test(importer)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      // Not ending in .css, or Vite would treat the module as a stylesheet.
      return resolved ? `${PREFIX}${resolved.id}.js` : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -'.js'.length);
      return [
        `import css from ${JSON.stringify(`${file}?inline`)};`,
        `const style = document.createElement('style');`,
        `style.dataset.lazy = 'editor';`,
        `style.textContent = css;`,
        `document.head.append(style);`,
      ].join('\n');
    },
  };
}

export default defineConfig({
  // Astro applies these to the pages of `astro dev` and `astro preview`; Vite to the modules
  // and workers it serves itself in dev.
  server: { headers: ISOLATION_HEADERS },
  devToolbar: { enabled: false },
  // Code in steps and guides follows the reader's light or dark scheme (see global.css).
  markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } },
  vite: {
    plugins: [lazyEditorStylesheets()],
    server: { headers: ISOLATION_HEADERS },
    preview: { headers: ISOLATION_HEADERS },
    // Monaco's editor and TypeScript workers are ES modules.
    worker: { format: 'es' },
    build: {
      // Monaco's editor chunk and TypeScript worker are big by nature; they load only when the
      // editor is needed, so the warning says nothing useful.
      chunkSizeWarningLimit: 8000,
    },
  },
});
