// Page tokens, one codec for every fake that pages: S3's continuation tokens, EC2's and the
// Price List's NextToken. AWS's tokens are opaque and good only for the listing they came
// from, so code that builds, edits or replays a token across queries gets the service's error
// here rather than a listing that quietly works in the fake and fails on AWS.
//
//   const tokens = new PageTokens(`whetstone-ec2:${env.accountId}`);
//   const token = tokens.encode(query, 100);   // where the next page starts
//   tokens.decode(query, token);                // 100; undefined for an edited token or another query
//
// A token is base64 of a version byte, the position masked with an MD5 keystream, and an MD5
// MAC of the position: opaque to the learner, and any edit breaks the seal.

import { concat, fromBase64, toBase64, utf8 } from './bytes.ts';
import { md5 } from './md5.ts';

const TOKEN_VERSION = 1;
const TOKEN_MAC_BYTES = 8;
const decoder = new TextDecoder();

/** FNV-1a over a string, as 8 hex digits: enough to bind a token to its query. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class PageTokens {
  readonly #secret: Uint8Array;

  /** `secret` keeps one world's tokens from opening in another (e.g. 'whetstone-s3:<account>'). */
  constructor(secret: string) {
    this.#secret = utf8(secret);
  }

  /** A token holding `position` (any text), sealed. */
  seal(position: string): string {
    const payload = utf8(position);
    const masked = this.#mask(payload);
    const token = new Uint8Array(1 + masked.length + TOKEN_MAC_BYTES);
    token[0] = TOKEN_VERSION;
    token.set(masked, 1);
    token.set(this.#mac(payload), 1 + masked.length);
    return toBase64(token);
  }

  /** The position a token holds, or undefined when it is not one of ours, unedited. */
  open(token: string): string | undefined {
    const bytes = fromBase64(token);
    if (!bytes || bytes.length < 1 + TOKEN_MAC_BYTES || bytes[0] !== TOKEN_VERSION) return undefined;
    const payload = this.#mask(bytes.subarray(1, bytes.length - TOKEN_MAC_BYTES));
    const mac = this.#mac(payload);
    const given = bytes.subarray(bytes.length - TOKEN_MAC_BYTES);
    if (!mac.every((byte, i) => byte === given[i])) return undefined;
    return decoder.decode(payload);
  }

  /** A token for the page starting at `offset` of the answer to `query` (the request's paging-relevant members, as text). */
  encode(query: string, offset: number): string {
    return this.seal(`${fingerprint(query)}\n${offset.toString(36)}`);
  }

  /** The offset a token continues from, or undefined when it is not a token of this query. */
  decode(query: string, token: string): number | undefined {
    const position = this.open(token);
    if (position === undefined) return undefined;
    const [hash, offset, ...rest] = position.split('\n');
    if (rest.length || hash !== fingerprint(query) || !offset || !/^[0-9a-z]+$/.test(offset)) return undefined;
    const value = parseInt(offset, 36);
    return Number.isSafeInteger(value) ? value : undefined;
  }

  #mask(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length);
    let block: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < bytes.length; i++) {
      if (i % 16 === 0) block = md5(concat(this.#secret, utf8(`:mask:${i / 16}`)));
      out[i] = bytes[i]! ^ block[i % 16]!;
    }
    return out;
  }

  #mac(payload: Uint8Array): Uint8Array {
    return md5(concat(this.#secret, utf8(':mac:'), payload)).subarray(0, TOKEN_MAC_BYTES);
  }
}
