// Local time, pinned. Learner code that uses local-time methods (getDate, getHours, new
// Date(2024, 0, 15)…) where UTC was meant must fail the same way on every machine: the Node
// host in UTC, a learner's browser in Tokyo. Grading realms (a child process, a Worker) call
// pinTimeZone(lab.limits.timeZone) before they are frozen, so every Date in that realm —
// the learner's and the checks' — sees the same local zone. Never call it in a shared realm.

interface WallTime {
  year: number;
  month: number; // 0-11
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
  ms: number;
}

const ISO_LOCAL = /^(\d{4}|[+-]\d{6})-(\d{2})(?:-(\d{2}))?T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT)\b)\s*(?:\(.*\))?$/i;
const DATE_ONLY = /^(?:\d{4}|[+-]\d{6})(?:-\d{2}(?:-\d{2})?)?$/;

export function pinTimeZone(zone: string, root: typeof globalThis = globalThis): void {
  const RealDate = root.Date;
  const proto = RealDate.prototype;
  const real = {
    getTime: proto.getTime,
    setTime: proto.setTime,
    getFullYear: proto.getFullYear,
    getMonth: proto.getMonth,
    getDate: proto.getDate,
    getHours: proto.getHours,
    getMinutes: proto.getMinutes,
    getSeconds: proto.getSeconds,
    getMilliseconds: proto.getMilliseconds,
    toLocaleString: proto.toLocaleString,
    toLocaleDateString: proto.toLocaleDateString,
    toLocaleTimeString: proto.toLocaleTimeString,
  };
  const parts = new root.Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const zoneName = new root.Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' });

  const wall = (t: number): WallTime => {
    const p: Record<string, number> = {};
    for (const part of parts.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const ms = ((t % 1000) + 1000) % 1000;
    return { year: p.year!, month: p.month! - 1, day: p.day!, hours: p.hour!, minutes: p.minute!, seconds: p.second!, ms };
  };
  const utcOf = (w: WallTime): number => {
    const d = new RealDate(0);
    d.setUTCFullYear(w.year, w.month, w.day);
    d.setUTCHours(w.hours, w.minutes, w.seconds, w.ms);
    return real.getTime.call(d);
  };
  const offset = (t: number): number => utcOf(wall(t)) - t;
  const fromWall = (w: WallTime): number => {
    const guess = utcOf(w);
    if (!Number.isFinite(guess)) return NaN;
    const first = guess - offset(guess);
    return guess - offset(first);
  };
  const time = (d: Date) => real.getTime.call(d);

  const getter = (field: keyof WallTime) =>
    function (this: Date): number {
      const t = time(this);
      return Number.isNaN(t) ? NaN : wall(t)[field];
    };
  const setter = (fields: (keyof WallTime)[]) =>
    function (this: Date, ...values: number[]): number {
      const t = time(this);
      const w = Number.isNaN(t) && fields[0] === 'year' ? wall(0) : wall(t);
      if (Number.isNaN(t) && fields[0] !== 'year') return NaN;
      fields.forEach((f, i) => {
        if (i < values.length) w[f] = Number(values[i]);
      });
      return real.setTime.call(this, fromWall(w));
    };
  const two = (n: number) => String(n).padStart(2, '0');
  const gmt = (t: number) => {
    const minutes = Math.round(offset(t) / 60000);
    const sign = minutes < 0 ? '-' : '+';
    return `GMT${sign}${two(Math.floor(Math.abs(minutes) / 60))}${two(Math.abs(minutes) % 60)}`;
  };
  const longName = (t: number) => zoneName.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? zone;
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const dayOfWeek = (t: number) => new RealDate(utcOf(wall(t))).getUTCDay();
  const dateString = (t: number) => {
    const w = wall(t);
    return `${DAYS[dayOfWeek(t)]} ${MONTHS[w.month]} ${two(w.day)} ${String(w.year).padStart(4, '0')}`;
  };
  const timeString = (t: number) => {
    const w = wall(t);
    return `${two(w.hours)}:${two(w.minutes)}:${two(w.seconds)} ${gmt(t)} (${longName(t)})`;
  };
  const locale = (method: (this: Date, ...a: unknown[]) => string) =>
    function (this: Date, locales?: unknown, options?: Intl.DateTimeFormatOptions): string {
      return method.call(this, locales, { ...options, timeZone: options?.timeZone ?? zone });
    };

  const methods: Record<string, (this: Date, ...args: never[]) => unknown> = {
    getFullYear: getter('year'),
    getMonth: getter('month'),
    getDate: getter('day'),
    getHours: getter('hours'),
    getMinutes: getter('minutes'),
    getSeconds: getter('seconds'),
    getDay(this: Date) {
      const t = time(this);
      return Number.isNaN(t) ? NaN : dayOfWeek(t);
    },
    getTimezoneOffset(this: Date) {
      const t = time(this);
      return Number.isNaN(t) ? NaN : -Math.round(offset(t) / 60000);
    },
    setFullYear: setter(['year', 'month', 'day']),
    setMonth: setter(['month', 'day']),
    setDate: setter(['day']),
    setHours: setter(['hours', 'minutes', 'seconds', 'ms']),
    setMinutes: setter(['minutes', 'seconds', 'ms']),
    setSeconds: setter(['seconds', 'ms']),
    setMilliseconds: setter(['ms']),
    toString(this: Date) {
      const t = time(this);
      return Number.isNaN(t) ? 'Invalid Date' : `${dateString(t)} ${timeString(t)}`;
    },
    toDateString(this: Date) {
      const t = time(this);
      return Number.isNaN(t) ? 'Invalid Date' : dateString(t);
    },
    toTimeString(this: Date) {
      const t = time(this);
      return Number.isNaN(t) ? 'Invalid Date' : timeString(t);
    },
    toLocaleString: locale(real.toLocaleString as never),
    toLocaleDateString: locale(real.toLocaleDateString as never),
    toLocaleTimeString: locale(real.toLocaleTimeString as never),
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }

  /** A string the engine would read as local time, read in the pinned zone instead. */
  const parseLocal = (text: string): number => {
    const s = text.trim();
    const iso = ISO_LOCAL.exec(s);
    if (iso) {
      return fromWall({
        year: Number(iso[1]),
        month: Number(iso[2]) - 1,
        day: Number(iso[3] ?? 1),
        hours: Number(iso[4]),
        minutes: Number(iso[5]),
        seconds: Number(iso[6] ?? 0),
        ms: Number((iso[7] ?? '0').padEnd(3, '0').slice(0, 3)),
      });
    }
    const t = RealDate.parse(s);
    if (Number.isNaN(t) || DATE_ONLY.test(s) || EXPLICIT_ZONE.test(s)) return t;
    // Any other zone-less form the engine read in the machine's zone: take its wall time.
    const d = new RealDate(t);
    return fromWall({
      year: real.getFullYear.call(d),
      month: real.getMonth.call(d),
      day: real.getDate.call(d),
      hours: real.getHours.call(d),
      minutes: real.getMinutes.call(d),
      seconds: real.getSeconds.call(d),
      ms: real.getMilliseconds.call(d),
    });
  };

  function PinnedDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return methods.toString!.call(new RealDate());
    let t: number | undefined;
    if (args.length >= 2) {
      const [year, month, day = 1, hours = 0, minutes = 0, seconds = 0, ms = 0] = args.map(Number);
      const y = year! >= 0 && year! <= 99 ? 1900 + year! : year!;
      t = fromWall({ year: y, month: month!, day, hours, minutes, seconds, ms });
    } else if (args.length === 1 && typeof args[0] === 'string') {
      t = parseLocal(args[0]);
    }
    return Reflect.construct(RealDate, t === undefined ? args : [t], new.target === PinnedDate ? RealDate : new.target);
  }
  Object.defineProperties(PinnedDate, {
    prototype: { value: proto, writable: false },
    now: { value: RealDate.now, writable: true, configurable: true },
    UTC: { value: RealDate.UTC, writable: true, configurable: true },
    parse: { value: (s: unknown) => parseLocal(String(s)), writable: true, configurable: true },
    name: { value: 'Date' },
    length: { value: 7 },
  });
  Object.defineProperty(proto, 'constructor', { value: PinnedDate, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(root, 'Date', { value: PinnedDate, writable: true, configurable: true, enumerable: false });
}
