// Every string format asl-validator 4.0.0's schemas use, by name, as one object: ajv-formats'
// full set, asl-path-validator's four path formats, the ARN format and the two JSONata ones.
// asl-schema.ts registers exactly these with Ajv; a lab bundle's precompiled validator looks
// them up here by name (grader/aws/sfn/bundle-plugin.ts), so both call the same functions.

import type { Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { registerAll } from 'asl-path-validator';
import formatsModule from 'asl-validator/dist/src/checks/formats.js';

function customFormats(): Record<string, Format> {
  const formats: Record<string, Format> = {};
  // JSONata definitions are refused before validation (the interpreter runs JSONPath only), so
  // no string here is a JSONata expression: asl-validator parses them with jsonata; this does not.
  formats.jsonata_string = () => false;
  formats.maybe_jsonata_string = (value: string) => !(value.trim().startsWith('{%') || value.trim().endsWith('%}'));
  // asl-path-validator registers its formats on an Ajv; all it calls is addFormat.
  registerAll({ addFormat: (name: string, format: Format) => void (formats[name] = format) } as unknown as Parameters<typeof registerAll>[0]);
  formats.asl_arn = formatsModule.isArnFormatValid;
  return formats;
}

/** The formats asl-validator adds beyond ajv-formats, by name. */
export const ASL_CUSTOM_FORMATS: Readonly<Record<string, Format>> = Object.freeze(customFormats());

/** Every format the compiled validator may call, by name (ajv-formats' full mode, then asl-validator's). */
export const ASL_FORMATS: Readonly<Record<string, Format>> = Object.freeze({ ...fullFormats, ...ASL_CUSTOM_FORMATS });
