// What a command gets from the shell that runs it: where to write for a person, and the shape
// of their terminal. Tests pass their own; bin/whetstone.js passes the process's streams.

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  columns?: number;
}
