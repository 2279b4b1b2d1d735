// Four identity policies for Acme's ML platform. Each is a plain object in IAM's JSON grammar:
// the grader sends JSON.stringify(policy) to the policy engine, exactly as you would send it to
// IAM. Start with the data scientist (step 2); the steps say what each role needs.

export interface Statement {
  Sid?: string; // ASCII letters and digits only
  Effect: 'Allow' | 'Deny';
  Action?: string | string[]; // 's3:GetObject', or a list
  NotAction?: string | string[];
  Resource?: string | string[]; // ARNs, e.g. 'arn:aws:s3:::acme-ml-datalake/processed/*'
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>; // { StringLike: { 's3:prefix': ['processed/*'] } }
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export const dataScientist: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [],
};

export const mlEngineer: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [],
};

export const dataEngineer: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [],
};

export const productionServing: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [],
};
