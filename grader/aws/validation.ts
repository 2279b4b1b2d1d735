// Request validation as AWS's services answer it. A service checks every member against its
// model before it looks at the meaning of the request, and reports every broken constraint at
// once in one message:
//
//   1 validation error detected: Value 'x y' at 'trainingJobName' failed to satisfy constraint:
//   Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
//
// JSON-protocol services (SageMaker, Kinesis, Glue, Step Functions, Application Auto Scaling…)
// send it as ValidationException; query-protocol ones (IAM, SNS) as ValidationError. A member of
// the wrong JSON type never reaches validation: the service answers SerializationException.
// The SDK validates nothing of this on the client, and under the mock its serialiser does not
// run either, so a fake must.
//
// Wording from AWS answers quoted in public issues (read 2026-11-25): "1 validation error
// detected: Value 'x' at 'trainingJobName' failed to satisfy constraint: Member must satisfy
// regular expression pattern: …" (Kenza-AI/sagify#57); "Value null at 'policyInputList' failed
// to satisfy constraint: Member must not be null" (IAM); several problems joined with '; ' and
// counted, "2 validation errors detected: …".
//
//   const c = new Constraints();
//   if (c.required('streamName', input.StreamName)) c.string('streamName', input.StreamName, { min: 1, max: 128 });
//   c.throwIfAny();                    // RequestValidationError('ValidationException', '1 validation error detected: …')
//
// or, declaratively, checkShape(input, { StreamName: { type: 'string', required: true, min: 1, max: 128 } }).

export type ValidationCode = 'ValidationException' | 'SerializationException';

/** A request the service refuses before doing anything: `code` is the AWS error code. */
export class RequestValidationError extends Error {
  readonly code: ValidationCode;
  constructor(code: ValidationCode, message: string) {
    super(message);
    this.code = code;
  }
}

type Json = Record<string, unknown>;

/** Builds the error a fake throws (e.g. a subclass that names the service). */
export type RejectionFactory = (code: ValidationCode, message: string) => Error;

const defaultRejection: RejectionFactory = (code, message) => new RequestValidationError(code, message);

/** "1 validation error detected: …", "2 validation errors detected: …; …". */
export function validationMessage(problems: readonly string[]): string {
  const n = problems.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

/** What a JSON-protocol service answers when a member has the wrong JSON type. */
export function typeMismatch(value: unknown, expected: string, reject: RejectionFactory = defaultRejection): Error {
  if (typeof value === 'number' && expected === 'Integer') {
    return reject(
      'SerializationException',
      `The number ${value} can not be converted to an Integer: it has a fractional part (round it, e.g. Math.round).`,
    );
  }
  const kind = Array.isArray(value)
    ? 'START_ARRAY'
    : typeof value === 'object'
      ? 'START_OBJECT'
      : typeof value === 'string'
        ? 'STRING_VALUE'
        : typeof value === 'boolean'
          ? 'BOOLEAN_VALUE'
          : 'NUMBER_VALUE';
  return reject('SerializationException', `${kind} can not be converted to ${expected === 'Integer' ? 'an Integer' : `a ${expected}`}`);
}

export interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS's model writes it, when RegExp.source reads differently. */
  patternText?: string;
}

export interface NumberRules {
  min?: number;
  max?: number;
}

/** Collects "Value … at '…' failed to satisfy constraint: …" items, as AWS reports them all at once. */
export class Constraints {
  readonly problems: string[] = [];
  readonly #reject: RejectionFactory;

  constructor(reject: RejectionFactory = defaultRejection) {
    this.#reject = reject;
  }

  #value(value: unknown): string {
    if (value === undefined || value === null) return 'null';
    if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
    return `'${String(value)}'`;
  }

  fail(path: string, value: unknown, constraint: string): void {
    this.problems.push(`Value ${this.#value(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** False (and a problem) when absent. */
  required(path: string, value: unknown): boolean {
    if (value === undefined || value === null) {
      this.fail(path, value, 'Member must not be null');
      return false;
    }
    return true;
  }

  string(path: string, value: unknown, rules: StringRules): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') throw typeMismatch(value, 'String', this.#reject);
    this.#length(path, value, value.length, rules);
    if (rules.pattern && !rules.pattern.test(value)) {
      this.fail(path, value, `Member must satisfy regular expression pattern: ${rules.patternText ?? rules.pattern.source}`);
    }
  }

  integer(path: string, value: unknown, rules: NumberRules): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw typeMismatch(value, 'Integer', this.#reject);
    this.#range(path, value, rules);
  }

  /** A double (e.g. a scaling policy's TargetValue). */
  number(path: string, value: unknown, rules: NumberRules): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw typeMismatch(value, 'Double', this.#reject);
    this.#range(path, value, rules);
  }

  boolean(value: unknown): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'boolean') throw typeMismatch(value, 'Boolean', this.#reject);
  }

  oneOf(path: string, value: unknown, allowed: readonly string[]): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') throw typeMismatch(value, 'String', this.#reject);
    if (!allowed.includes(value)) this.fail(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  /** True when present and an object (a problem-free structure to look inside). */
  structure(value: unknown): value is Json {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeMismatch(value, 'Structure', this.#reject);
    return true;
  }

  /** True when present and an array; its item count against min/max. */
  list(path: string, value: unknown, rules: NumberRules = {}): value is unknown[] {
    if (value === undefined || value === null) return false;
    if (!Array.isArray(value)) throw typeMismatch(value, 'List', this.#reject);
    this.#length(path, `[${value.length} items]`, value.length, rules);
    return true;
  }

  /** Bytes (a Kinesis record's Data…): length in bytes. */
  blob(path: string, value: unknown, rules: NumberRules): void {
    if (value === undefined || value === null) return;
    const size = byteLength(value);
    if (size === undefined) throw typeMismatch(value, 'Blob', this.#reject);
    // AWS prints the Java buffer it received; the fake says how many bytes it was.
    this.#length(path, `<${size} bytes>`, size, rules);
  }

  /** Throws the service's ValidationException when any problem was found. */
  throwIfAny(): void {
    if (this.problems.length) throw this.#reject('ValidationException', validationMessage(this.problems));
  }

  #length(path: string, shown: unknown, length: number, rules: NumberRules): void {
    if (rules.min !== undefined && length < rules.min) this.fail(path, shown, `Member must have length greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && length > rules.max) this.fail(path, shown, `Member must have length less than or equal to ${rules.max}`);
  }

  #range(path: string, value: number, rules: NumberRules): void {
    if (rules.min !== undefined && value < rules.min) this.fail(path, value, `Member must have value greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && value > rules.max) this.fail(path, value, `Member must have value less than or equal to ${rules.max}`);
  }
}

function byteLength(value: unknown): number | undefined {
  if (typeof value === 'string') return new TextEncoder().encode(value).length;
  if (value instanceof Uint8Array || ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Shapes: the same checks, declared as the service model declares its members.

export type MemberShape = { required?: boolean } & (
  | ({ type: 'string'; enum?: readonly string[] } & StringRules)
  | ({ type: 'integer' | 'double' } & NumberRules)
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | ({ type: 'blob' } & NumberRules)
  | { type: 'structure'; members: Shape }
  | ({ type: 'list'; member: MemberShape } & NumberRules)
  | ({ type: 'map'; value: MemberShape; key?: StringRules } & NumberRules)
);

/** Members by the name the SDK gives them (PascalCase), as in the service's model. */
export type Shape = Readonly<Record<string, MemberShape>>;

/** 'StreamName' → 'streamName': how AWS names a member in a validation message. */
function wirePath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

function checkMember(c: Constraints, path: string, value: unknown, shape: MemberShape, reject: RejectionFactory): void {
  if (shape.required && !c.required(path, value)) return;
  if (value === undefined || value === null) return;
  switch (shape.type) {
    case 'string':
      c.string(path, value, shape);
      if (shape.enum) c.oneOf(path, value, shape.enum);
      return;
    case 'integer':
      c.integer(path, value, shape);
      return;
    case 'double':
      c.number(path, value, shape);
      return;
    case 'boolean':
      c.boolean(value);
      return;
    case 'timestamp':
      if (!(value instanceof Date) && typeof value !== 'number' && typeof value !== 'string') throw typeMismatch(value, 'Timestamp', reject);
      return;
    case 'blob':
      c.blob(path, value, shape);
      return;
    case 'structure':
      if (c.structure(value)) checkMembers(c, path, value, shape.members, reject);
      return;
    case 'list':
      if (c.list(path, value, shape)) value.forEach((item, i) => checkMember(c, `${path}.${i + 1}.member`, item, shape.member, reject));
      return;
    case 'map': {
      if (!c.structure(value)) return;
      const entries = Object.entries(value);
      if (shape.min !== undefined && entries.length < shape.min) c.fail(path, `{${entries.length} entries}`, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max) c.fail(path, `{${entries.length} entries}`, `Member must have length less than or equal to ${shape.max}`);
      for (const [key, item] of entries) {
        if (shape.key) c.string(`${path}.${key}.key`, key, shape.key);
        checkMember(c, `${path}.${key}.member`, item, shape.value, reject);
      }
      return;
    }
  }
}

function checkMembers(c: Constraints, parent: string, value: Json, shape: Shape, reject: RejectionFactory): void {
  for (const [member, memberShape] of Object.entries(shape)) checkMember(c, wirePath(parent, member), value[member], memberShape, reject);
}

/**
 * Throws as the service would when `input` breaks its shape: SerializationException for a
 * member of the wrong JSON type, else one ValidationException listing every broken constraint.
 * Members the shape does not name are not checked.
 */
export function checkShape(input: unknown, shape: Shape, reject: RejectionFactory = defaultRejection): void {
  const c = new Constraints(reject);
  checkMembers(c, '', (input ?? {}) as Json, shape, reject);
  c.throwIfAny();
}
