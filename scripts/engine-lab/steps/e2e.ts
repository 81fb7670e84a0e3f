import type { StepGroup } from "../driver";

export const e2eSteps: StepGroup = { name: "e2e", steps: async () => ({ steps: [], stop: async () => {} }) };
