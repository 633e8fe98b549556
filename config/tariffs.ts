// The tariff part of a utility's configuration: priced components, reduction rules, rounding and business days.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';

const code = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/** A local date YYYY-MM-DD; a month YYYY-MM is read as its first day (configurations written before dates). */
const effectiveFrom = z.string().refine((text) => {
  const match = /^(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?$/.exec(text);
  if (!match) return false;
  const day = Number(match[3] ?? '01');
  return day >= 1 && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, day)).getUTCDate() === day;
}, 'a local date as YYYY-MM-DD (or a month as YYYY-MM)');

/** The local date a `from` stands for: "2026-07" is 2026-07-01. */
export function fromDate(from: string): string {
  return from.length === 7 ? `${from}-01` : from;
}

/** Steps that take effect on dates must be in strictly ascending order, so exactly one is in force on any day. */
function checkAscending(steps: Array<{ from: string }>, ctx: z.RefinementCtx): void {
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    if (!previous) return;
    const [before, here] = [fromDate(previous.from), fromDate(step.from)];
    if (before === here) {
      ctx.addIssue({ code: 'custom', path: [i, 'from'], message: `duplicate "from" ${here}` });
    } else if (before > here) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'from'],
        message: 'rates must be in ascending order of "from"',
      });
    }
  });
}

/** A volume band per household per month, [min, max) in the meter's unit; the last band has no max. */
const tier = z.strictObject({
  min: z.number().nonnegative(),
  max: z.number().positive().optional(),
  rate: z.number().nonnegative(),
});

/** From a date on, either one rate per unit or tiers; rates in major currency units (580 KRW, 6.84 RUB). */
const rateStep = z
  .strictObject({
    from: effectiveFrom,
    rate: z.number().nonnegative().optional(),
    tiers: z.array(tier).min(1).optional(),
  })
  .superRefine((step, ctx) => {
    if ((step.rate === undefined) === (step.tiers === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give either "rate" or "tiers"' });
    }
    const tiers = step.tiers ?? [];
    tiers.forEach((band, k) => {
      const previous = tiers[k - 1];
      const expected = previous ? previous.max : 0;
      if (expected === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', k - 1, 'max'],
          message: 'only the last tier may be open',
        });
      } else if (k === 0 && band.min !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 0, 'min'],
          message: 'the first tier must start at 0',
        });
      } else if (band.min > expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', k, 'min'],
          message: `gap: tier starts at ${band.min} but the one before ends at ${expected}`,
        });
      } else if (band.min < expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', k, 'min'],
          message: `overlap: tier starts at ${band.min} but the one before ends at ${expected}`,
        });
      }
      if (band.max !== undefined && band.max <= band.min) {
        ctx.addIssue({ code: 'custom', path: ['tiers', k, 'max'], message: 'must be more than min' });
      }
    });
    const last = tiers[tiers.length - 1];
    if (last?.max !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tiers', tiers.length - 1, 'max'],
        message: `the last tier must be open (no max), or volumes above ${last.max} have no rate`,
      });
    }
  });

export const tariffComponentSchema = z.strictObject({
  code,
  label: localizedText,
  /** Which meter register the volume is taken from; absent = the sum of all registers. */
  register: z.string().optional(),
  /** The meter kinds the component prices; absent = every kind that has its register. */
  appliesTo: z.array(z.string().min(1)).min(1).optional(),
  rates: z.array(rateStep).min(1).superRefine(checkAscending),
});

const reductionRule = z.discriminatedUnion('kind', [
  /** A volume per household per month charged at nothing, on the components listed (vulnerable households). */
  z.strictObject({
    kind: z.literal('free-volume'),
    from: effectiveFrom,
    volume: z.number().positive(),
    components: z.array(code).min(1),
  }),
  /** A percentage off one component's charge (families with children: sewage -30%). */
  z.strictObject({
    kind: z.literal('percent-off'),
    from: effectiveFrom,
    component: code,
    percent: z.number().positive().max(100),
  }),
  /** A percentage of the charges less the reductions listed before it, within min and max (e-billing). */
  z
    .strictObject({
      kind: z.literal('percent-of-total'),
      from: effectiveFrom,
      percent: z.number().positive().max(100),
      min: z.number().nonnegative().optional(),
      max: z.number().positive().optional(),
    })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
      message: 'min is more than max',
      path: ['min'],
    }),
  /** A fixed amount for each reading the resident took themselves in the period. */
  z.strictObject({
    kind: z.literal('per-self-reading'),
    from: effectiveFrom,
    amount: z.number().positive(),
  }),
]);

export const reductionConfigSchema = z.strictObject({
  code,
  label: localizedText,
  /**
   * How the engine computes it, each from a local date on; absent: the reduction is only a label for bills that
   * arrive with their amounts (imports).
   */
  rules: z.array(reductionRule).min(1).superRefine(checkAscending).optional(),
});

/** Each charge and reduction line is rounded once, to a multiple of `step` minor units (Seoul: down to 10 won). */
export const roundingSchema = z.strictObject({
  step: z.number().int().min(1).max(1000),
  mode: z.enum(['down', 'half-up', 'up']),
});

/** The days a due date may not fall on besides weekends: the country's public holidays, corrected by hand. */
export const holidaysSchema = z.strictObject({
  /** Public holidays of the utility's country from the date-holidays library; "none": only the dates in `add`. */
  source: z.enum(['date-holidays', 'none']),
  /** Holidays the library does not know (a temporary holiday, a day it gets wrong). */
  add: z.array(z.iso.date()).default([]),
  /** Days the library calls a holiday that are not. */
  remove: z.array(z.iso.date()).default([]),
});

interface TariffPart {
  meterKinds: Array<{ kind: string; registers: string[] }>;
  tariffs: Array<z.infer<typeof tariffComponentSchema>>;
  reductions: Array<z.infer<typeof reductionConfigSchema>>;
}

/** Checks across fields: codes, registers and meter kinds the components name, components the reductions name. */
export function checkTariffConfig(config: TariffPart, ctx: z.RefinementCtx): void {
  const kinds = new Map(config.meterKinds.map((m) => [m.kind, m.registers]));
  const registers = new Set(config.meterKinds.flatMap((m) => m.registers));
  const components = new Set<string>();
  config.tariffs.forEach((t, i) => {
    if (components.has(t.code)) {
      ctx.addIssue({ code: 'custom', path: ['tariffs', i, 'code'], message: `duplicate "${t.code}"` });
    }
    components.add(t.code);
    if (t.register && !registers.has(t.register)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tariffs', i, 'register'],
        message: `"${t.register}" is no register of any meter kind`,
      });
    }
    t.appliesTo?.forEach((kind, k) => {
      const kindRegisters = kinds.get(kind);
      if (!kindRegisters) {
        ctx.addIssue({
          code: 'custom',
          path: ['tariffs', i, 'appliesTo', k],
          message: `"${kind}" is no meter kind of this utility (${[...kinds.keys()].join(', ')})`,
        });
      } else if (t.register && registers.has(t.register) && !kindRegisters.includes(t.register)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tariffs', i, 'appliesTo', k],
          message: `"${kind}" meters have no "${t.register}" register`,
        });
      }
    });
  });
  config.meterKinds.forEach((m, i) => {
    if (!config.tariffs.some((t) => componentApplies(t, m.kind, m.registers))) {
      ctx.addIssue({
        code: 'custom',
        path: ['meterKinds', i],
        message: `no tariff component prices ${m.kind} meters`,
      });
    }
  });
  const reductionCodes = new Set<string>();
  config.reductions.forEach((r, i) => {
    if (reductionCodes.has(r.code)) {
      ctx.addIssue({ code: 'custom', path: ['reductions', i, 'code'], message: `duplicate "${r.code}"` });
    }
    reductionCodes.add(r.code);
    r.rules?.forEach((rule, j) => {
      const named: Array<[string, Array<string | number>]> =
        rule.kind === 'free-volume'
          ? rule.components.map((c, k): [string, Array<string | number>] => [c, ['components', k]])
          : rule.kind === 'percent-off'
            ? [[rule.component, ['component']]]
            : [];
      for (const [name, path] of named) {
        if (!components.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reductions', i, 'rules', j, ...path],
            message: `"${name}" is no tariff component (${[...components].join(', ')})`,
          });
        }
      }
    });
  });
}

/** Whether a component prices a meter of this kind with these registers. */
export function componentApplies(
  component: Pick<z.infer<typeof tariffComponentSchema>, 'register' | 'appliesTo'>,
  kind: string,
  registers: string[],
): boolean {
  if (component.appliesTo && !component.appliesTo.includes(kind)) return false;
  return component.register === undefined || registers.includes(component.register);
}
