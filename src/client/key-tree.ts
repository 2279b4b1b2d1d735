// S3 keys as a folder tree, the way a learner pictures a bucket: raw/ › web-logs/ › year=2024/ …
// Folders with a single sub-folder and no objects are merged into one row
// ('raw/web-logs/year=2024/month=01/'), so a deep partition layout stays readable.
//
// A report lists at most the first N keys of a bucket in key order (the fakes' snapshot). A
// folder's count is then exact unless the listing was cut inside it: only folders holding the
// last key shown may have more, and they are marked `partial` ("200+ objects").

export interface KeyFolder {
  /** The path segment(s) of this folder, ending with '/'. */
  name: string;
  folders: KeyFolder[];
  /** Object names directly in this folder (the rest of the key after the folder path). */
  objects: string[];
  /** How many of the keys given lie anywhere below. */
  count: number;
  /** The listing was cut inside this folder: it holds at least `count` objects. */
  partial: boolean;
}

export function keyTree(keys: readonly string[], options: { cut?: boolean } = {}): KeyFolder {
  const root: KeyFolder = { name: '', folders: [], objects: [], count: 0, partial: false };
  const last = options.cut ? keys.reduce((max, key) => (key > max ? key : max), '') : undefined;
  for (const key of keys) {
    const parts = key.split('/');
    const leaf = parts.pop()!;
    let folder = root;
    folder.count++;
    for (const part of parts) {
      const name = `${part}/`;
      let next = folder.folders.find((f) => f.name === name);
      if (!next) {
        next = { name, folders: [], objects: [], count: 0, partial: false };
        folder.folders.push(next);
      }
      next.count++;
      if (key === last) next.partial = true;
      folder = next;
    }
    // A key ending in '/' is a "folder marker" object; show it by its folder name.
    folder.objects.push(leaf === '' ? '(folder marker)' : leaf);
  }
  root.partial = last !== undefined;
  return collapse(root);
}

function collapse(folder: KeyFolder): KeyFolder {
  let current = folder;
  while (current.name !== '' && current.objects.length === 0 && current.folders.length === 1) {
    const only = current.folders[0]!;
    current = { ...only, name: current.name + only.name };
  }
  return { ...current, folders: current.folders.map(collapse) };
}
