// asl-validator 4.0.0 ships JavaScript without declarations; these are the pieces of it the
// fake Step Functions calls (its checks and JSON schemas, dist/src/…), typed as they behave.

interface AslValidatorError {
  'Error code': string;
  Message: string;
  schemaError?: { instancePath: string; schemaPath: string };
}

type AslStateEntry = { stateName: string; state: Record<string, unknown> };
type AslStateCheck = { filter: (entry: AslStateEntry) => boolean; checker: (entry: AslStateEntry) => AslValidatorError | null };

declare module 'asl-validator/dist/src/checks/missing-transition-target-errors.js' {
  const module: { missingTransitionTargetErrors(definition: unknown, options?: unknown): AslValidatorError[] };
  export default module;
}
declare module 'asl-validator/dist/src/checks/state-transitions-errors.js' {
  const module: { stateTransitionsErrors(definition: unknown, options?: unknown): AslValidatorError[] };
  export default module;
}
declare module 'asl-validator/dist/src/checks/duplicate-state-names-errors.js' {
  const module: { duplicateStateNames(definition: unknown, options?: unknown): AslValidatorError[] };
  export default module;
}
declare module 'asl-validator/dist/src/checks/missing-terminal-state-errors.js' {
  const module: { missingTerminalStateErrors(definition: unknown, options?: unknown): AslValidatorError[] };
  export default module;
}
declare module 'asl-validator/dist/src/checks/duplicate-payload-template-fields.js' {
  const module: { mustNotHaveDuplicateFieldNamesAfterEvaluation(definition: unknown, options?: unknown): AslValidatorError[] };
  export default module;
}
declare module 'asl-validator/dist/src/checks/state-checks.js' {
  const module: {
    stateChecks(definition: unknown, options: unknown, checks: AslStateCheck[]): AslValidatorError[];
    AtMostOne(options: { props: string[]; errorCode: string; path?: string }): AslStateCheck['checker'];
    ExactlyOne(options: { props: string[]; errorCode: string; path?: string }): AslStateCheck['checker'];
    IsTask: AslStateCheck['filter'];
    IsMap: AslStateCheck['filter'];
    IsWait: AslStateCheck['filter'];
    IsFail: AslStateCheck['filter'];
    IsSucceed: AslStateCheck['filter'];
    IsChoice: AslStateCheck['filter'];
  };
  export default module;
}
declare module 'asl-validator/dist/src/checks/formats.js' {
  const module: { isArnFormatValid(resource: string): boolean };
  export default module;
}
declare module 'asl-validator' {
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: AslValidatorError[]; errorsText(separator?: string): string };
  export default aslValidator;
}
