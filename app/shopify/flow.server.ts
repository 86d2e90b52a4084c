/**
 * Fires Kinship's Flow triggers (the reward trigger, "Kinship: unhappy customer" and "Kinship: ask for feedback"). The payload is checked against the declared trigger fields first:
 * Flow rejects (or silently drops) fields the deployed extension doesn't declare.
 */
import { FLOW_TRIGGER_HANDLE, flowPayloadProblems, type FlowTriggerPayload } from "../retention/rewards";
import { triggerPayloadProblems } from "../retention/flow-trigger";
import { UNHAPPY_TRIGGER, type UnhappyAlertPayload } from "../retention/feedback/unhappy-alert";
import { ASK_TRIGGER, type AskPayload } from "../retention/feedback/ask-after-delivery";
import type { AdminClient } from "./admin-client.server";
import { FLOW_TRIGGER_RECEIVE } from "./queries/flow";

export class FlowPayloadError extends Error {
  constructor(readonly problems: string[]) {
    super(`Flow payload does not match the trigger: ${problems.join("; ")}`);
    this.name = "FlowPayloadError";
  }
}

export async function fireRewardTrigger(client: AdminClient, payload: FlowTriggerPayload): Promise<void> {
  const problems = flowPayloadProblems(payload);
  if (problems.length) throw new FlowPayloadError(problems);
  await client.mutate(FLOW_TRIGGER_RECEIVE, { handle: FLOW_TRIGGER_HANDLE, payload }, "flowTriggerReceive");
}

/** Fires "Kinship: unhappy customer" (extensions/kinship-unhappy-customer), checked against its fields first. */
export async function fireUnhappyTrigger(client: AdminClient, payload: UnhappyAlertPayload): Promise<void> {
  const problems = triggerPayloadProblems(UNHAPPY_TRIGGER, payload);
  if (problems.length) throw new FlowPayloadError(problems);
  await client.mutate(FLOW_TRIGGER_RECEIVE, { handle: UNHAPPY_TRIGGER.handle, payload }, "flowTriggerReceive");
}

/** Fires "Kinship: ask for feedback" (extensions/kinship-ask-for-feedback), checked against its fields first. */
export async function fireAskTrigger(client: AdminClient, payload: AskPayload): Promise<void> {
  const problems = triggerPayloadProblems(ASK_TRIGGER, payload);
  if (problems.length) throw new FlowPayloadError(problems);
  await client.mutate(FLOW_TRIGGER_RECEIVE, { handle: ASK_TRIGGER.handle, payload }, "flowTriggerReceive");
}
