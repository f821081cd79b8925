import type { Satisfaction, WorkOrderState } from '../../generated/graphql';

/** What the API did with an order after one callback attempt, as the callback agent is told. */
export type CallbackOutcome =
  | { kind: 'closed'; satisfaction: Satisfaction | null; resolved: boolean | null }
  | { kind: 'reopened'; reopenCount: number }
  | { kind: 'retry'; attempts: number; max: number }
  | { kind: 'unreachable'; attempts: number };

export interface OrderAfterCallback {
  state: WorkOrderState;
  callbackAttempts: number;
  reopenCount: number;
  resolved?: boolean | null;
  satisfaction?: Satisfaction | null;
}

/**
 * Reads the order the API answered: an unreached citizen leaves it waiting for another call until the
 * tenant's limit closes it as unreachable; a reached one closes it, unless dissatisfaction reopened it
 * (the tenant's rule) — the API cleared resolution and satisfaction then, so the submitted values are kept.
 */
export function callbackOutcome(order: OrderAfterCallback, reached: boolean, maxAttempts: number,
  submitted: { satisfaction: Satisfaction | null; resolved: boolean | null }): CallbackOutcome {
  if (!reached) {
    return order.state === 'CLOSED'
      ? { kind: 'unreachable', attempts: order.callbackAttempts }
      : { kind: 'retry', attempts: order.callbackAttempts, max: maxAttempts };
  }
  if (order.state === 'IN_PROGRESS') return { kind: 'reopened', reopenCount: order.reopenCount };
  return { kind: 'closed', satisfaction: order.satisfaction ?? submitted.satisfaction, resolved: order.resolved ?? submitted.resolved };
}
