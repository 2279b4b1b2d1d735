// One submission for the offline fetch in every host (lockdown.test.ts for the Node child and
// the WebContainer runner, worker.test.ts for the Worker), so all three are held to the same
// behaviour. For the mini fixture lab: the squares check passes only if fetch behaved.

/** Fires fetch at import (with and without a catch) and awaits one in slowSquare, as offline code would. */
export const OFFLINE_FETCH = {
  'calc.ts': `fetch('https://example.com/ping').catch(() => {});
void fetch('https://example.com/unhandled');
export function add(a: number, b: number) { return a + b; }
export async function slowSquare(n: number) {
  const pending = fetch('https://example.com/data.json');
  if (!(pending instanceof Promise)) return -1;
  try {
    await pending;
    return -2;
  } catch (error) {
    console.log(\`\${(error as Error).name}: \${(error as Error).message} (\${String((error as any).cause?.message)})\`);
    return error instanceof TypeError && error.message === 'fetch failed' ? n * n : -3;
  }
}
`,
};
