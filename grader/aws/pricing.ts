// The fake AWS Price List Query API: GetProducts behind a real PricingClient, answering as
// AWS does (LABS.md, "Fidelity").
//
//   const pricing = new FakePricing(env, { products });
//   const page = await pricing.client().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters }));
//   JSON.parse(page.PriceList![0]!);   // { product, serviceCode, terms, version, publicationDate }
//
// Where the Price List is unkind the fake is too:
// - `PriceList` items are JSON documents in strings. SDK 3.11xx hands them out as
//   LazyJsonString (a boxed String with deserializeJSON(); `typeof` is 'object'), because the
//   model marks them mediaType application/json; the fake does the same, so `JSON.parse(item)`
//   and `item.deserializeJSON()` work and `typeof item === 'string'` is false, as on AWS.
// - A product is one combination of attributes: the same instance type appears once per
//   operating system, tenancy, pre-installed software, capacity status and region. Filters that
//   leave several standing return all of them; nothing picks "the usual one" for you.
// - Filters: TERM_MATCH and EQUALS (exact value), CONTAINS (substring), ANY_OF and NONE_OF
//   (comma-separated values); every filter must hold. Field names and values are matched
//   exactly; a field no product has matches nothing.
// - MaxResults 1–100 (InvalidParameterException outside), pages of 100 by default; NextToken
//   opaque and bound to its query (InvalidNextTokenException otherwise).
// - Errors are the SDK's modeled classes (InvalidParameterException, NotFoundException…).
//
// Sources, read 2026-11-25: @aws-sdk/client-pricing 3.1133 model (GetProducts shapes, FilterType
// values, error classes, PriceList media type) and AWS Price List Query API documentation; the
// product/terms layout follows Price List items quoted in public repositories (offer term codes
// JRTCKXETXF on-demand, 4NA7Y494T4 1yr standard No Upfront…, rate codes 6YS6EN2CT7 hourly and
// 2TG2D8R56U upfront fee).

import {
  GetProductsCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  NotFoundException,
  PricingClient,
  PricingServiceException,
} from '@aws-sdk/client-pricing';
import type { Filter, GetProductsCommandInput } from '@aws-sdk/client-pricing';
import type { AwsEnv, InjectedFault } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Call } from './mock.ts';
import { PageTokens } from './paging.ts';
import { FakeAwsService } from './service.ts';
import type { ErrorOptions } from './service.ts';

export const GET_PRODUCTS_PAGE = { min: 1, max: 100, default: 100 } as const;
export const FORMAT_VERSION = 'aws_v1';
const FILTER_TYPES = ['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF'] as const;

/** Offer term codes of the Price List (the same for every SKU). */
export const OfferTermCodes = {
  onDemand: 'JRTCKXETXF',
  standard1yrNoUpfront: '4NA7Y494T4',
  standard1yrPartialUpfront: 'HU7G6KETJZ',
  standard1yrAllUpfront: '6QCMYABX3D',
  convertible1yrNoUpfront: '7NE97W5U4E',
  convertible1yrPartialUpfront: 'CUZHX8X6JH',
  convertible1yrAllUpfront: 'VJWZNREJX2',
  standard3yrNoUpfront: 'BPH4J8HBKS',
  standard3yrPartialUpfront: '38NPMPTW36',
  standard3yrAllUpfront: 'NQ3QZPMQV9',
  convertible3yrNoUpfront: 'Z2E3P23VKM',
  convertible3yrPartialUpfront: 'R5XV2EPZQZ',
  convertible3yrAllUpfront: 'MZU6U2429S',
} as const;

/** Rate codes: the per-hour dimension and the one-off upfront fee. */
export const RateCodes = { hourly: '6YS6EN2CT7', upfrontFee: '2TG2D8R56U' } as const;

export interface PriceDimension {
  unit: string;
  endRange?: string;
  description: string;
  appliesTo: string[];
  rateCode: string;
  beginRange?: string;
  pricePerUnit: Record<string, string>;
}

export interface OfferTerm {
  priceDimensions: Record<string, PriceDimension>;
  sku: string;
  effectiveDate: string;
  offerTermCode: string;
  termAttributes: Record<string, string>;
}

/** One Price List item, as GetProducts' JSON documents hold it. */
export interface PriceListItem {
  product: { productFamily: string; attributes: Record<string, string>; sku: string };
  serviceCode: string;
  terms: { OnDemand?: Record<string, OfferTerm>; Reserved?: Record<string, OfferTerm> };
  version: string;
  publicationDate: string;
}

export interface PricingData {
  /** Every product of every service this world prices. */
  products: readonly PriceListItem[];
}

/**
 * What the SDK hands out for a JSON document member: a String object that parses itself.
 * (@smithy/core's LazyJsonString, rebuilt here so the grader needs no transitive import.)
 */
export interface JsonDocumentString extends String {
  deserializeJSON(): unknown;
  toJSON(): string;
}

export function jsonDocumentString(text: string): JsonDocumentString {
  // A boxed string: JSON.parse, template literals and String() see the text.
  // eslint-disable-next-line no-new-wrappers
  const boxed = new String(text) as JsonDocumentString;
  Object.defineProperties(boxed, {
    deserializeJSON: { value: () => JSON.parse(text) as unknown },
    toJSON: { value: () => text },
  });
  return boxed;
}

// ---------------------------------------------------------------------------------------------
// Pure pieces: filters.

interface Matcher {
  field: string;
  test(value: string | undefined): boolean;
}

function fieldValue(item: PriceListItem, field: string): string | undefined {
  if (field === 'ServiceCode') return item.serviceCode;
  if (field === 'productFamily') return item.product.productFamily;
  if (field === 'sku') return item.product.sku;
  return Object.hasOwn(item.product.attributes, field) ? item.product.attributes[field] : undefined;
}

/** Products that satisfy every filter, in the Price List's order. */
export function filterProducts(products: readonly PriceListItem[], matchers: readonly Matcher[]): PriceListItem[] {
  return products.filter((item) => matchers.every((m) => m.test(fieldValue(item, m.field))));
}

// Speed, not behaviour: a Price List is large (a lab's has over a thousand products) and shared
// read-only by every world of a process, and learners page through the same queries again and
// again. So the products are indexed by (field, exact value) once per list, each product's JSON
// text is written once, and the answer to a query is remembered per list. Price lists handed to
// FakePricing are shared and never mutated; only frozen ones are indexed.

type FieldIndex = Map<string, PriceListItem[]>;

interface ListCache {
  /** field → value → the products with that value, in the Price List's order. */
  fields: Map<string, FieldIndex>;
  /** A query's canonical key → the products it matches. */
  queries: Map<string, readonly PriceListItem[]>;
}

const LIST_CACHES = new WeakMap<readonly PriceListItem[], ListCache>();
const JSON_TEXT = new WeakMap<PriceListItem, string>();
/** Enough for every distinct query a submission makes; a bound so a looping learner cannot grow memory. */
const MAX_CACHED_QUERIES = 2_000;

function listCache(products: readonly PriceListItem[]): ListCache {
  let cache = LIST_CACHES.get(products);
  if (!cache) {
    cache = { fields: new Map(), queries: new Map() };
    LIST_CACHES.set(products, cache);
  }
  return cache;
}

function fieldIndex(products: readonly PriceListItem[], cache: ListCache, field: string): FieldIndex {
  let index = cache.fields.get(field);
  if (!index) {
    index = new Map();
    for (const item of products) {
      const value = fieldValue(item, field);
      if (value === undefined) continue;
      const bucket = index.get(value);
      if (bucket) bucket.push(item);
      else index.set(value, [item]);
    }
    cache.fields.set(field, index);
  }
  return index;
}

/** An exact-match filter: (field, value) pairs an index can answer. */
interface Exact {
  field: string;
  value: string;
}

/** filterProducts, answered from the list's index and remembered under `key`. */
function matchingProducts(products: readonly PriceListItem[], key: string, exact: readonly Exact[], matchers: readonly Matcher[]): readonly PriceListItem[] {
  if (!Object.isFrozen(products)) return filterProducts(products, matchers);
  const cache = listCache(products);
  const known = cache.queries.get(key);
  if (known) return known;
  let candidates: readonly PriceListItem[] = products;
  for (const { field, value } of exact) {
    const bucket = fieldIndex(products, cache, field).get(value) ?? [];
    if (bucket.length < candidates.length) candidates = bucket;
  }
  const matching = filterProducts(candidates, matchers);
  if (cache.queries.size >= MAX_CACHED_QUERIES) cache.queries.clear();
  cache.queries.set(key, matching);
  return matching;
}

/** The JSON document of a product, written once per (immutable, shared) item. */
function productJson(item: PriceListItem): string {
  let text = JSON_TEXT.get(item);
  if (text === undefined) {
    text = JSON.stringify(item);
    if (Object.isFrozen(item)) JSON_TEXT.set(item, text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------

export class FakePricing extends FakeAwsService<PricingClient, FakePricing> {
  readonly #tokens: PageTokens;
  readonly #products: readonly PriceListItem[];
  readonly #services: ReadonlySet<string>;

  constructor(env: AwsEnv, data: PricingData) {
    super(env, {
      service: 'pricing',
      clientClass: PricingClient,
      exceptionBase: PricingServiceException as unknown as ExceptionClass,
      exceptions: {
        InvalidParameterException: InvalidParameterException as unknown as ExceptionClass,
        InvalidNextTokenException: InvalidNextTokenException as unknown as ExceptionClass,
        NotFoundException: NotFoundException as unknown as ExceptionClass,
      },
    });
    // Shared, never mutated: a lab may hand every world the same (large) Price List.
    this.#products = data.products;
    this.#services = new Set(data.products.map((p) => p.serviceCode));
    this.#tokens = new PageTokens(`whetstone-pricing:${env.accountId}`);
    this.on(GetProductsCommand, (input, call) => this.#getProducts(input, call), {
      doc:
        'Price List products as JSON documents (LazyJsonString, as the SDK gives them); one product per attribute combination; TERM_MATCH, EQUALS, CONTAINS, ANY_OF, NONE_OF filters; MaxResults 1–100; NextToken bound to its query.',
      // The documents are long: the trace counts them.
      output: (o) => ({ PriceList: o.PriceList && `<${o.PriceList.length} products>`, NextToken: o.NextToken }),
    });
  }

  /** Products matching TERM_MATCH-style { field: value } pairs (not traced), for checks. */
  products(match: Record<string, string> = {}): PriceListItem[] {
    return filterProducts(
      this.#products,
      Object.entries(match).map(([field, value]) => ({ field, test: (v) => v === value })),
    );
  }

  override snapshot(): unknown {
    return { products: this.#products.length };
  }

  #getProducts(input: GetProductsCommandInput, call: Call) {
    const serviceCode = input.ServiceCode;
    if (typeof serviceCode !== 'string' || serviceCode === '') {
      throw this.#error('InvalidParameterException', 'Input ServiceCode is required: e.g. ServiceCode: \'AmazonEC2\'.', call);
    }
    if (!this.#services.has(serviceCode)) {
      throw this.#error('NotFoundException', `Service code ${serviceCode} not found.`, call);
    }
    const format = input.FormatVersion ?? FORMAT_VERSION;
    if (format !== FORMAT_VERSION) {
      throw this.#error('InvalidParameterException', `Invalid FormatVersion ${String(format)}: the only valid value is ${FORMAT_VERSION}.`, call);
    }
    const pageSize = input.MaxResults ?? GET_PRODUCTS_PAGE.default;
    if (!Number.isInteger(pageSize) || pageSize < GET_PRODUCTS_PAGE.min || pageSize > GET_PRODUCTS_PAGE.max) {
      throw this.#error(
        'InvalidParameterException',
        `MaxResults ${String(pageSize)} is out of range: it must be between ${GET_PRODUCTS_PAGE.min} and ${GET_PRODUCTS_PAGE.max}.`,
        call,
      );
    }
    const matchers = (input.Filters ?? []).map((filter) => this.#matcher(filter, call));
    const query = JSON.stringify([serviceCode, format, input.Filters ?? []]);
    let start = 0;
    if (input.NextToken !== undefined && input.NextToken !== null && input.NextToken !== '') {
      const offset = this.#tokens.decode(query, String(input.NextToken));
      if (offset === undefined) {
        throw this.#error('InvalidNextTokenException', 'The pagination token is invalid. Try again without a pagination token.', call);
      }
      start = offset;
    }
    const exact: Exact[] = [{ field: 'ServiceCode', value: serviceCode }];
    for (const filter of input.Filters ?? []) {
      if (filter.Type === 'TERM_MATCH' || filter.Type === 'EQUALS') exact.push({ field: filter.Field!, value: filter.Value! });
    }
    const key = JSON.stringify([serviceCode, (input.Filters ?? []).map((f) => [f.Type, f.Field, f.Value])]);
    const matching = matchingProducts(this.#products, key, exact, [{ field: 'ServiceCode', test: (v) => v === serviceCode }, ...matchers]);
    const page = matching.slice(start, start + pageSize);
    const next = start + page.length;
    return {
      FormatVersion: format,
      PriceList: page.map((item) => jsonDocumentString(productJson(item))) as unknown as string[],
      ...(next < matching.length ? { NextToken: this.#tokens.encode(query, next) } : {}),
    };
  }

  #matcher(filter: Filter, call: Call): Matcher {
    const type = filter.Type as string | undefined;
    if (!type || !(FILTER_TYPES as readonly string[]).includes(type)) {
      throw this.#error('InvalidParameterException', `Invalid filter type ${String(type)}: use one of ${FILTER_TYPES.join(', ')}.`, call);
    }
    if (typeof filter.Field !== 'string' || filter.Field === '' || typeof filter.Value !== 'string') {
      throw this.#error('InvalidParameterException', 'Each filter needs a Type, a Field and a Value (a string).', call);
    }
    const field = filter.Field;
    const value = filter.Value;
    const list = () => value.split(',').map((v) => v.trim());
    switch (type) {
      case 'CONTAINS':
        return { field, test: (v) => v !== undefined && v.includes(value) };
      case 'ANY_OF': {
        const values = new Set(list());
        return { field, test: (v) => v !== undefined && values.has(v) };
      }
      case 'NONE_OF': {
        const values = new Set(list());
        return { field, test: (v) => v !== undefined && !values.has(v) };
      }
      default:
        return { field, test: (v) => v === value };
    }
  }

  /** The Price List's answer `code`: its modeled class where the SDK has one, with the body's Message. */
  override error(code: string, message: string, call: Call, options: ErrorOptions = {}): Error {
    return super.error(code, message, call, { ...options, fields: { Message: message, ...options.fields } });
  }

  #error(code: string, message: string, call: Call, httpStatusCode = 400): Error {
    return this.error(code, message, call, { httpStatusCode });
  }
}

/** Faults as the Price List API spells them, for env.faults.add({ service: 'pricing', … }). */
export const PricingFaults = {
  throttling: { name: 'ThrottlingException', httpStatusCode: 400, message: 'Rate exceeded' },
  internalError: { name: 'InternalErrorException', httpStatusCode: 500, message: 'An error on the server occurred during the processing of your request. Try again later.' },
} as const satisfies Record<string, InjectedFault>;
