// A fake Amazon SNS for notifications: topics a lab creates (untraced) and Publish to them, with
// SNS's limits and its query-protocol errors. Checks read what was published with `published()`.
//
//   const sns = new FakeSns(env);
//   const topic = sns.createTopic('ml-pipeline-events');
//   await sns.client().send(new PublishCommand({ TopicArn: topic, Message: '{"status":"DEPLOYED"}' }));
//   sns.published(topic)[0].message;   // '{"status":"DEPLOYED"}'
//
// Facts (Amazon SNS API Reference, Publish, read 2026-11-30):
// - Exactly one of TopicArn, TargetArn or PhoneNumber; Message required, "at most 256 KB"
//   (262,144 bytes) of UTF-8; Subject "must be UTF-8 text with no line breaks or control
//   characters, and less than 100 characters long"; MessageStructure 'json' needs a "default"
//   key in the JSON message.
// - Errors: NotFound (404, "Topic does not exist"), InvalidParameter (400, "Invalid parameter:
//   …"), Throttled; query protocol, so a broken constraint is ValidationError.
// - Publish answers MessageId (a UUID).

import { InvalidParameterException, NotFoundException, PublishCommand, SNSClient, SNSServiceException, ThrottledException } from '@aws-sdk/client-sns';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Call } from './mock.ts';
import { FakeAwsService } from './service.ts';

/** "at most 256 KB" of message: 262,144 bytes. */
export const MAX_MESSAGE_BYTES = 262_144;
export const MAX_SUBJECT_CHARACTERS = 100;

export interface PublishedMessage {
  topicArn: string;
  message: string;
  subject?: string;
  messageId: string;
  at: Date;
  attributes: Record<string, unknown>;
}

export class FakeSns extends FakeAwsService<SNSClient, FakeSns> {
  readonly #topics = new Set<string>();
  readonly #published: PublishedMessage[] = [];
  #messages = 0;

  constructor(env: AwsEnv) {
    super(env, {
      service: 'sns',
      clientClass: SNSClient,
      exceptionBase: SNSServiceException as unknown as ExceptionClass,
      exceptions: {
        InvalidParameter: InvalidParameterException as unknown as ExceptionClass,
        NotFound: NotFoundException as unknown as ExceptionClass,
        Throttled: ThrottledException as unknown as ExceptionClass,
      },
      validationErrorCode: 'ValidationError',
    });
    this.on(PublishCommand, (input, call) => this.#publish(input, call), {
      doc: 'Publishes to an existing topic: exactly one of TopicArn/TargetArn/PhoneNumber, Message ≤ 256 KB, Subject < 100 characters on one line, MessageStructure json with a default; NotFound (404) for an unknown topic.',
      output: ['MessageId'],
    });
  }

  /** Create a topic (seeding, not traced); returns its ARN. */
  createTopic(name: string): string {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw new Error(`FakeSns.createTopic: '${name}' is not a topic name (1–256 of A-Z, a-z, 0-9, - and _).`);
    const arn = `arn:aws:sns:${this.env.region}:${this.env.accountId}:${name}`;
    this.#topics.add(arn);
    return arn;
  }

  /** Messages published so far, oldest first (not traced). */
  published(topicArn?: string): PublishedMessage[] {
    return this.#published.filter((m) => topicArn === undefined || m.topicArn === topicArn);
  }

  override snapshot(): { published: Record<string, number> } {
    const published: Record<string, number> = {};
    for (const m of this.#published) published[m.topicArn] = (published[m.topicArn] ?? 0) + 1;
    return { published };
  }

  #invalid(what: string, call: Call): Error {
    return this.error('InvalidParameter', `Invalid parameter: ${what}`, call);
  }

  #publish(input: PublishCommandInput, call: Call) {
    this.checkShape(input, { Message: { type: 'string', required: true }, Subject: { type: 'string' }, TopicArn: { type: 'string' }, TargetArn: { type: 'string' } }, call);
    const targets = [input.TopicArn, input.TargetArn, input.PhoneNumber].filter((t) => t !== undefined && t !== '');
    if (targets.length === 0) throw this.#invalid('TopicArn or TargetArn Reason: no value for required parameter', call);
    if (targets.length > 1) throw this.#invalid('TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given', call);
    if (input.PhoneNumber !== undefined) throw this.#invalid('PhoneNumber Reason: this fake delivers to topics only', call);
    const message = input.Message!;
    if (message === '') throw this.#invalid('Empty message', call);
    if (new TextEncoder().encode(message).byteLength > MAX_MESSAGE_BYTES) throw this.#invalid('Message too long', call);
    if (input.Subject !== undefined) {
      // "no line breaks or control characters, and less than 100 characters long"
      if (input.Subject.length === 0 || input.Subject.length >= MAX_SUBJECT_CHARACTERS || /[\u0000-\u001f\u007f]/.test(input.Subject)) {
        throw this.#invalid('Subject', call);
      }
    }
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== 'json') throw this.#invalid('MessageStructure', call);
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw this.#invalid('Message Structure - JSON message body failed to parse', call);
      }
      if (!parsed || typeof parsed !== 'object' || typeof (parsed as Record<string, unknown>).default !== 'string') {
        throw this.#invalid('Message Structure - No default entry in JSON message body', call);
      }
    }
    const topicArn = (input.TopicArn ?? input.TargetArn)!;
    if (!this.#topics.has(topicArn)) throw this.error('NotFound', 'Topic does not exist', call, { httpStatusCode: 404 });
    const messageId = this.#messageId();
    this.#published.push({
      topicArn,
      message,
      ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
      messageId,
      at: this.env.clock.now(),
      attributes: structuredClone(input.MessageAttributes ?? {}) as Record<string, unknown>,
    });
    return { MessageId: messageId };
  }

  /** A UUID-shaped id, deterministic per fake (never env.random: publishing must not shift fixtures). */
  #messageId(): string {
    this.#messages += 1;
    let h = 0x6a09e667 ^ this.#messages;
    let hex = '';
    while (hex.length < 32) {
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ hex.length;
      hex += (h >>> 0).toString(16).padStart(8, '0');
    }
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
