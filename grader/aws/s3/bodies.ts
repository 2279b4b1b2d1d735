// Bodies: what PutObject accepts, what GetObject returns, and how the trace shows a body.
// Shapes checked against @aws-sdk/client-s3 3.1175 (2026-11-25).

import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { concat, toBase64, utf8 } from '../bytes.ts';
import { hex } from '../md5.ts';
import { byteSummary } from '../mock.ts';

type BodyKind = 'empty' | 'string' | 'bytes' | 'blob' | 'web-stream' | 'async-iterable';

export function bodyKind(body: unknown): BodyKind | undefined {
  if (body === undefined || body === null) return 'empty';
  if (typeof body === 'string') return 'string';
  if (body instanceof Uint8Array || ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return 'bytes';
  if (typeof body !== 'object') return undefined;
  if (typeof (body as Blob).arrayBuffer === 'function' && typeof (body as Blob).size === 'number') return 'blob';
  if (typeof (body as ReadableStream).getReader === 'function') return 'web-stream';
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return 'async-iterable';
  return undefined;
}

function chunkBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === 'string') return utf8(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`A PutObject Body stream yielded ${typeof chunk}; streams must yield strings or bytes.`);
}

export async function readBody(body: unknown): Promise<Uint8Array> {
  switch (bodyKind(body)) {
    case 'empty':
      return new Uint8Array(0);
    case 'string':
      return utf8(body as string);
    case 'bytes':
      return chunkBytes(body).slice();
    case 'blob':
      return new Uint8Array(await (body as Blob).arrayBuffer());
    case 'web-stream': {
      const reader = (body as ReadableStream<unknown>).getReader();
      const chunks: Uint8Array[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(chunkBytes(r.value));
      return concat(...chunks);
    }
    case 'async-iterable': {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body as AsyncIterable<unknown>) chunks.push(chunkBytes(chunk));
      return concat(...chunks);
    }
    default:
      throw new TypeError('unreachable: PutObject Body was validated before sending');
  }
}

type SdkBody = NonNullable<GetObjectCommandOutput['Body']>;

/**
 * A GetObject Body as the SDK gives it in a browser: a ReadableStream with the SDK's mixin
 * (transformToString, transformToByteArray, transformToWebStream), each usable once, as there.
 * One shape in every host, so a submission gets the same grade in Node and in the browser.
 */
export function sdkStreamBody(bytes: Uint8Array): SdkBody {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length) controller.enqueue(bytes.slice());
      controller.close();
    },
  });
  let transformed = false;
  const claim = () => {
    if (transformed) throw new Error('The stream has already been transformed.');
    transformed = true;
  };
  const transformToByteArray = async (): Promise<Uint8Array> => {
    claim();
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    return concat(...chunks);
  };
  return Object.assign(stream, {
    transformToByteArray,
    transformToString: async (encoding?: string): Promise<string> => {
      const data = await transformToByteArray();
      if (encoding === 'base64') return toBase64(data);
      if (encoding === 'hex') return hex(data);
      return new TextDecoder(encoding === undefined || encoding === 'utf8' ? 'utf-8' : encoding).decode(data);
    },
    transformToWebStream: () => {
      claim();
      return stream;
    },
  }) as unknown as SdkBody;
}

export function describeBody(body: unknown): string {
  if (Array.isArray(body)) return 'an array';
  if (typeof body === 'object') return 'a plain object';
  return `a ${typeof body}`;
}

const SHORT_BODY = 200;

/** The request as the trace shows it: bodies summarised unless short text. */
export function summariseInput(input: Record<string, unknown>): Record<string, unknown> {
  if (!('Body' in input)) return input;
  const body = input.Body;
  let shown: unknown;
  if (typeof body === 'string') shown = body.length <= SHORT_BODY ? body : byteSummary(utf8(body).length);
  else if (body instanceof Uint8Array || ArrayBuffer.isView(body)) shown = byteSummary(body.byteLength);
  else if (body instanceof ArrayBuffer) shown = byteSummary(body.byteLength);
  else if (body && typeof body === 'object' && typeof (body as Blob).size === 'number') shown = byteSummary((body as Blob).size);
  else if (body === undefined || body === null) shown = body;
  else shown = bodyKind(body) ? '<stream>' : describeBody(body);
  return { ...input, Body: shown };
}
