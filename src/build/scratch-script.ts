// The learner's scratch script, where the WebContainer's terminal is up: a file of their own
// that imports their lab files and the lab's AWS clients, run with `node fake-aws.mjs
// scratch.ts` against the lab's fakes, as they would run a script against AWS on their
// machine. Made from the lab's manifest (its files and allowed modules) unless the author wrote
// labs/<id>/scratch.ts. Pure: the client classes of a whole package are looked up by the caller.

import type { LabManifest } from '../../grader/lab-schema.ts';

export const SCRATCH_PATH = 'scratch.ts';

/** S3Client → s3, EC2Client → ec2, SageMakerClient → sageMaker. */
function variableFor(client: string): string {
  const name = client.replace(/Client$/, '').replace(/^[A-Z0-9]+(?=[A-Z][a-z]|$)/, (run) => run.toLowerCase());
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function scratchScript(manifest: Pick<LabManifest, 'files' | 'modules'>, clientClasses: (module: string) => string[]): string {
  const imports: string[] = [];
  const clients: string[] = [];
  for (const spec of manifest.modules) {
    const module = typeof spec === 'string' ? spec : spec.name;
    const names = typeof spec === 'string' ? clientClasses(module) : spec.exports.filter((name) => /Client$/.test(name));
    if (!names.length) continue;
    imports.push(`import { ${names.join(', ')} } from '${module}';`);
    clients.push(...names);
  }
  for (const file of manifest.files) imports.push(`import { ${file.exports.join(', ')} } from './${file.path}';`);
  const variables = clients.map((name) => `  const ${variableFor(name)} = new ${name}({});`);
  const exported = manifest.files.flatMap((f) => f.exports);
  return [
    `// ${SCRATCH_PATH}: try your code against this lab's fake AWS, as you would on your machine.`,
    '// Run it in the terminal below the results:  node fake-aws.mjs scratch.ts',
    "// The AWS clients you create are answered by the lab's fakes (the ones the checks use), and",
    '// the calls your code made are listed after the run. This file is not graded or exported.',
    ...imports,
    '',
    'async function main(): Promise<void> {',
    ...variables,
    `  // Call your functions with these clients and print what comes back, e.g.`,
    `  // console.log(await ${exported.find((name) => name !== exported[0]) ?? exported[0]}(…));`,
    `  console.log('Your exports:', ${JSON.stringify(exported.join(', '))});`,
    '}',
    '',
    'main().catch((error) => console.error(error));',
    '',
  ].join('\n');
}
