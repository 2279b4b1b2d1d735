// Where each statement sits in a policy's JSON text, as SimulateCustomPolicy reports it in
// MatchedStatements (StartPosition / EndPosition, Line and Column from 1). Boto3 output of
// `json.dumps(policy)` shows the start at the statement's `{` (1-based); the AWS CLI example
// shows the end one past its `}` (IAM API Reference, "Position"; aws iam simulate-custom-policy
// examples; read 2026-11-25). We follow both.

export interface Position {
  Line: number;
  Column: number;
}

export interface Span {
  StartPosition: Position;
  EndPosition: Position;
}

/** A value's extent in the text: [start, end) offsets. */
interface Node {
  start: number;
  end: number;
  kind: 'object' | 'array' | 'other';
  /** Object members by key (the last one wins, as JSON.parse does). */
  members?: Map<string, Node>;
  items?: Node[];
}

class Scanner {
  readonly text: string;
  i = 0;
  constructor(text: string) {
    this.text = text;
  }
  ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }
  fail(): never {
    throw new SyntaxError(`Unexpected character at offset ${this.i}`);
  }
  string(): string {
    const start = this.i;
    if (this.text[this.i] !== '"') this.fail();
    this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    if (this.i >= this.text.length) this.fail();
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }
  value(): Node {
    this.ws();
    const start = this.i;
    const c = this.text[this.i];
    if (c === '{') {
      this.i++;
      const members = new Map<string, Node>();
      this.ws();
      if (this.text[this.i] === '}') {
        this.i++;
        return { start, end: this.i, kind: 'object', members };
      }
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        if (this.text[this.i] !== ':') this.fail();
        this.i++;
        members.set(key, this.value());
        this.ws();
        if (this.text[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.text[this.i] === '}') {
          this.i++;
          return { start, end: this.i, kind: 'object', members };
        }
        this.fail();
      }
    }
    if (c === '[') {
      this.i++;
      const items: Node[] = [];
      this.ws();
      if (this.text[this.i] === ']') {
        this.i++;
        return { start, end: this.i, kind: 'array', items };
      }
      for (;;) {
        items.push(this.value());
        this.ws();
        if (this.text[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.text[this.i] === ']') {
          this.i++;
          return { start, end: this.i, kind: 'array', items };
        }
        this.fail();
      }
    }
    if (c === '"') {
      this.string();
      return { start, end: this.i, kind: 'other' };
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.i, this.i + 64));
    if (!m) this.fail();
    this.i += m[0].length;
    return { start, end: this.i, kind: 'other' };
  }
}

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { Line: line, Column: offset - lineStart + 1 };
}

/** The span of every statement, in order; empty when the text is not a policy we can read. */
export function statementSpans(text: string): Span[] {
  let root: Node;
  try {
    root = new Scanner(text).value();
  } catch {
    return [];
  }
  const statement = root.members?.get('Statement');
  if (!statement) return [];
  const nodes = statement.kind === 'array' ? (statement.items ?? []) : [statement];
  return nodes.map((n) => ({
    StartPosition: positionAt(text, n.start),
    // One past the closing brace: the position of the offset just after it.
    EndPosition: positionAt(text, n.end),
  }));
}
