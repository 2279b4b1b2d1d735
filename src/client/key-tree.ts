// S3 keys as a folder tree, the way a learner pictures a bucket: raw/ › web-logs/ › year=2024/ …
// Folders with a single sub-folder and no objects are merged into one row
// ('raw/web-logs/year=2024/month=01/'), so a deep partition layout stays readable.

export interface KeyFolder {
  /** The path segment(s) of this folder, ending with '/'. */
  name: string;
  folders: KeyFolder[];
  /** Object names directly in this folder (the rest of the key after the folder path). */
  objects: string[];
  /** How many objects lie anywhere below. */
  count: number;
}

export function keyTree(keys: readonly string[]): KeyFolder {
  const root: KeyFolder = { name: '', folders: [], objects: [], count: 0 };
  for (const key of keys) {
    const parts = key.split('/');
    const leaf = parts.pop()!;
    let folder = root;
    folder.count++;
    for (const part of parts) {
      const name = `${part}/`;
      let next = folder.folders.find((f) => f.name === name);
      if (!next) {
        next = { name, folders: [], objects: [], count: 0 };
        folder.folders.push(next);
      }
      next.count++;
      folder = next;
    }
    // A key ending in '/' is a "folder marker" object; show it by its folder name.
    folder.objects.push(leaf === '' ? '(folder marker)' : leaf);
  }
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
