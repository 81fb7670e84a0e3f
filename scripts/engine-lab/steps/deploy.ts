import type { StepGroup } from "../driver";

export const deploySteps: StepGroup = { name: "deploy", steps: async () => ({ steps: [], stop: async () => {} }) };
